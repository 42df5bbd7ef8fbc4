/**
 * `pam lineage`: the artifact graph of an experiment, read from the committed manifests (not from Temporal),
 * so it stays auditable after the workflow history has expired.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { MANIFEST_FILE, type ArtifactManifest } from '../store/artifact-manifest.js';
import { loadManifest } from '../store/artifact-store.js';
import type { StageRow } from '../contracts/stage-requests.js';

export interface LineageNode {
  stageId: string;
  stage: string;
  key: string;
  dir: string;
  codeVersion: string;
  params: unknown;
  seed: number;
  inputs: Record<string, { stage: string; key: string }>;
  files: { path: string; rows?: number; bytes: number; sha256: string }[];
  producer: ArtifactManifest['producer'];
  timings: ArtifactManifest['timings'];
}

export function lineageOf(rows: readonly StageRow[]): LineageNode[] {
  return rows
    .filter((r) => r.dir && existsSync(path.join(r.dir, MANIFEST_FILE)))
    .map((r) => {
      const parsed = loadManifest(r.dir!);
      if (!parsed.ok) throw new DataValidationError(parsed.message);
      const m = parsed.manifest;
      return {
        stageId: r.id,
        stage: m.stage,
        key: m.key,
        dir: r.dir!,
        codeVersion: m.keyParts.codeVersion,
        params: m.keyParts.params,
        seed: m.keyParts.seed,
        inputs: m.inputs,
        files: m.files.map((f) => ({ path: f.path, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
        producer: m.producer,
        timings: m.timings,
      };
    });
}

export function renderLineage(nodes: readonly LineageNode[]): string {
  const idOfKey = new Map(nodes.map((n) => [n.key, n.stageId]));
  return nodes
    .map((n) => {
      const inputs = Object.entries(n.inputs).map(
        ([role, ref]) => `${role} ← ${idOfKey.get(ref.key) ?? ref.stage} (${ref.key.slice(0, 12)})`,
      );
      const files = n.files.map((f) => `${f.path}${f.rows !== undefined ? ` [${f.rows} rows]` : ''} sha256 ${f.sha256.slice(0, 12)}`);
      return [
        `${n.stageId} (${n.stage} v${n.codeVersion}, seed ${n.seed}) → ${n.key}`,
        `  folder:   ${n.dir}`,
        ...(inputs.length ? [`  inputs:   ${inputs.join('; ')}`] : []),
        `  produced: ${n.timings.finishedAt} in ${n.timings.seconds.toFixed(1)} s on ${n.producer.host}` +
          (n.producer.workflowId ? ` by ${n.producer.workflowId}/${n.producer.runId} attempt ${n.producer.attempt}` : ''),
        ...files.map((f) => `  file:     ${f}`),
      ].join('\n');
    })
    .join('\n\n');
}
