/**
 * `manifest.json` of a committed artifact: everything needed to audit where its numbers came from and to check
 * that its files are still the ones that were committed.
 */
import { z } from 'zod';
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
  /**
   * External input label → content sha256 (src/stages/stage-spec.ts `ExternalInput`); the params hold
   * `external:<label>` in place of each such path, so the key follows the content, not where the file lies.
   * Absent for stages that read no external input.
   */
  external?: Record<string, string>;
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

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex');
/** A `/`-separated path that stays inside the artifact folder, so verifying or opening it never reads elsewhere. */
const insidePath = z
  .string()
  .refine((p) => p !== MANIFEST_FILE && !p.includes('\\') && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'), {
    message: `a relative "/"-separated path inside the artifact folder, not ${MANIFEST_FILE}`,
  });
const count = z.number().int().nonnegative();
const summaryValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const jsonValue = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string(), z.number(), z.boolean(), z.null()]);

/** CacheKeyParts as read back from JSON (manifests, stage records: src/store/stage-records.ts). */
export const cacheKeyPartsSchema = z
  .object({
    stage: z.string().min(1),
    codeVersion: z.string(),
    params: jsonValue,
    inputKeys: z.record(z.string(), z.string()),
    seed: z.number(),
    shard: z.object({ index: count, count: z.number().int().positive() }).optional(),
    external: z.record(z.string(), sha256Hex).optional(),
  })
  .passthrough() satisfies z.ZodType<CacheKeyParts>;

/**
 * `manifest.json` as this code reads it (format version MANIFEST_FORMAT_VERSION). Objects pass unknown members
 * through: a field added within the same format version is kept, not dropped, by a reader that does not know it.
 */
export const artifactManifestSchema = z
  .object({
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    stage: z.string().min(1),
    key: sha256Hex,
    keyParts: cacheKeyPartsSchema,
    inputs: z.record(z.string(), z.object({ stage: z.string().min(1), key: z.string().min(1) })),
    files: z.array(
      z.object({ path: insidePath, bytes: count, sha256: sha256Hex, rows: count.optional(), schema: z.array(z.string()).optional() }),
    ),
    summary: z.record(z.string(), summaryValue),
    timings: z.object({ startedAt: z.string(), finishedAt: z.string(), seconds: z.number() }),
    producer: z
      .object({
        host: z.string(),
        pid: z.number().int(),
        workflowId: z.string().optional(),
        runId: z.string().optional(),
        activityId: z.string().optional(),
        attempt: z.number().int().optional(),
        experiment: z.string().optional(),
        stageId: z.string().optional(),
        backend: z.string().optional(),
        nodeVersion: z.string(),
      })
      .passthrough(),
  })
  .passthrough() satisfies z.ZodType<ArtifactManifest>;

/**
 * A manifest's text, parsed and validated: `invalid` (not JSON, a missing or mistyped field, an unknown format
 * version) means the artifact is damaged; `newer` means a newer pam-pipeline wrote it — this code must not use
 * it, nor quarantine it as damaged.
 */
export type ParsedManifest = { ok: true; manifest: ArtifactManifest } | { ok: false; problem: 'invalid' | 'newer'; message: string };

export function parseManifest(text: string, file: string): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: 'invalid', message: `${file}: not JSON (${(error as Error).message})` };
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > MANIFEST_FORMAT_VERSION) {
    return {
      ok: false,
      problem: 'newer',
      message: `${file}: manifest format ${version} was written by a newer pam-pipeline; this one reads format ${MANIFEST_FORMAT_VERSION} (upgrade it, or use another PAM_HOME)`,
    };
  }
  const parsed = artifactManifestSchema.safeParse(json);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return {
    ok: false,
    problem: 'invalid',
    message: `${file}: invalid manifest (${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''})`,
  };
}

/**
 * What stages pass to each other through Temporal: a reference, never data, and never a path — every worker and
 * client resolves it through its own configured store (src/store/store-location.ts), so the workflow's state
 * holds nothing that is true on one machine only.
 */
export interface ArtifactRef {
  stage: string;
  key: string;
  /**
   * The id of the store it was committed to (src/store/store-identity.ts). Absent in references recorded before
   * stores had ids (they held a folder instead, which is ignored now).
   */
  store?: string;
  /** Row count per Arrow table. */
  rows: Record<string, number>;
  summary: Record<string, SummaryValue>;
}

export function refOf(store: string, manifest: ArtifactManifest): ArtifactRef {
  const rows: Record<string, number> = {};
  for (const file of manifest.files) {
    if (file.rows !== undefined) rows[file.path.replace(/\.arrow$/, '')] = file.rows;
  }
  return { stage: manifest.stage, key: manifest.key, store, rows, summary: manifest.summary };
}
