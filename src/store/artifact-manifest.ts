/**
 * `manifest.json` of a committed artifact: everything needed to audit where its numbers came from and to check
 * that its files are still the ones that were committed.
 */
import type { SummaryValue } from '../stages/stage-definition.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT_VERSION = 1;

export interface ManifestFile {
  /** Path relative to the artifact folder, `/`-separated. */
  path: string;
  bytes: number;
  sha256: string;
  /** Arrow files only. */
  rows?: number;
  /** Arrow files only: `name: type` per column. */
  schema?: string[];
}

/** The parts whose canonical-JSON sha256 is the cache key. */
export interface CacheKeyParts {
  stage: string;
  codeVersion: string;
  params: unknown;
  /** Input role → upstream artifact key. */
  inputKeys: Record<string, string>;
  seed: number;
  /** Sharded stages: which shard (absent for unsharded stages and for the merge step). */
  shard?: { index: number; count: number };
}

export interface ProducerInfo {
  host: string;
  pid: number;
  workflowId?: string;
  runId?: string;
  activityId?: string;
  attempt?: number;
  experiment?: string;
  stageId?: string;
  backend?: string;
  nodeVersion: string;
}

export interface ArtifactManifest {
  formatVersion: number;
  stage: string;
  key: string;
  keyParts: CacheKeyParts;
  /** Input role → upstream artifact (stage kind and key), the lineage edges. */
  inputs: Record<string, { stage: string; key: string }>;
  files: ManifestFile[];
  summary: Record<string, SummaryValue>;
  timings: { startedAt: string; finishedAt: string; seconds: number };
  producer: ProducerInfo;
}

/** What stages pass to each other through Temporal: a reference, never data. */
export interface ArtifactRef {
  stage: string;
  key: string;
  dir: string;
  /** Row count per Arrow table. */
  rows: Record<string, number>;
  summary: Record<string, SummaryValue>;
}

export function refOf(dir: string, manifest: ArtifactManifest): ArtifactRef {
  const rows: Record<string, number> = {};
  for (const file of manifest.files) {
    if (file.rows !== undefined) rows[file.path.replace(/\.arrow$/, '')] = file.rows;
  }
  return { stage: manifest.stage, key: manifest.key, dir, rows, summary: manifest.summary };
}
