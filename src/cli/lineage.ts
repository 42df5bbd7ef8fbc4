/**
 * `pam lineage`: the artifact graph of an experiment, read from the committed manifests (not from Temporal),
 * so it stays auditable after the workflow history has expired.
 */
import type { ArtifactManifest } from '../store/artifact-manifest.js';
import type { StoreView } from '../store/store-view.js';
import type { StageRow } from '../contracts/stage-requests.js';
import { formatBytes } from '../stages/stage-plan.js';

export interface LineageNode {
  stageId: string;
  stage: string;
  key: string;
  /** Where it lives in the reader's store: a folder or a URI. */
  location: string;
  codeVersion: string;
  params: unknown;
  seed: number;
  inputs: Record<string, { stage: string; key: string }>;
  files: { path: string; rows?: number; bytes: number; sha256: string }[];
  producer: ArtifactManifest['producer'];
  timings: ArtifactManifest['timings'];
}

/** The committed artifacts of an experiment's stages, read from `store`; stages not committed (yet) are left out. */
export async function lineageOf(rows: readonly StageRow[], store: StoreView): Promise<LineageNode[]> {
  const nodes: LineageNode[] = [];
  for (const r of rows) {
    const m = r.key === undefined ? null : await store.manifest(r.uses, r.key);
    if (m !== null) nodes.push(nodeOf(r.id, m, store.locate(m.stage, m.key)));
  }
  return nodes;
}

function nodeOf(stageId: string, m: ArtifactManifest, location: string): LineageNode {
  return {
    stageId,
    stage: m.stage,
    key: m.key,
    location,
    codeVersion: m.keyParts.codeVersion,
    params: m.keyParts.params,
    seed: m.keyParts.seed,
    inputs: m.inputs,
    files: m.files.map((f) => ({ path: f.path, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    producer: m.producer,
    timings: m.timings,
  };
}

/** `allFiles` (`pam lineage --files`): every file on its own line with its bytes and sha256, not one line per folder. */
export function renderLineage(nodes: readonly LineageNode[], { allFiles = false }: { allFiles?: boolean } = {}): string {
  const idOfKey = new Map(nodes.map((n) => [n.key, n.stageId]));
  return nodes
    .map((n) => {
      const inputs = Object.entries(n.inputs).map(
        ([role, ref]) => `${role} ← ${idOfKey.get(ref.key) ?? ref.stage} (${ref.key.slice(0, 12)})`,
      );
      return [
        `${n.stageId} (${n.stage} v${n.codeVersion}, seed ${n.seed}) → ${n.key}`,
        `  at:       ${n.location}`,
        `  params:   ${JSON.stringify(n.params)}`,
        ...(inputs.length ? [`  inputs:   ${inputs.join('; ')}`] : []),
        `  produced: ${n.timings.finishedAt} in ${n.timings.seconds.toFixed(1)} s on ${n.producer.host}` +
          (n.producer.backend ? ` (${n.producer.backend})` : '') +
          (n.producer.workflowId ? ` by ${n.producer.workflowId}/${n.producer.runId} attempt ${n.producer.attempt}` : ''),
        `  files:    ${n.files.length} file${n.files.length === 1 ? '' : 's'}, ${formatBytes(n.files.reduce((sum, f) => sum + f.bytes, 0))}`,
        ...(allFiles ? n.files.map(oneFile) : fileLines(n.files)).map((f) => `  file:     ${f}`),
      ].join('\n');
    })
    .join('\n\n');
}

/** Listed one by one up to this many; past it, tables one by one and the other files counted per folder. */
const FILES_LISTED = 12;

/** A stage with 1,200 image files is one line per folder, not 1,200 lines (`--files` and `--json` list every file). */
function fileLines(files: LineageNode['files']): string[] {
  const one = oneFile;
  if (files.length <= FILES_LISTED) return files.map(one);
  const folders = new Map<string, { count: number; bytes: number }>();
  for (const f of files.filter((f) => f.rows === undefined)) {
    const folder = f.path.includes('/') ? `${f.path.slice(0, f.path.lastIndexOf('/'))}/` : '(top level)';
    const seen = folders.get(folder) ?? { count: 0, bytes: 0 };
    folders.set(folder, { count: seen.count + 1, bytes: seen.bytes + f.bytes });
  }
  return [
    ...files.filter((f) => f.rows !== undefined).map(one),
    ...[...folders].map(([folder, { count, bytes }]) => `${folder} ${count} files, ${formatBytes(bytes)} (each with its sha256: --files)`),
  ];
}

function oneFile(f: LineageNode['files'][number]): string {
  return `${f.path}${f.rows !== undefined ? ` [${f.rows} rows]` : ''} ${formatBytes(f.bytes)} sha256 ${f.sha256.slice(0, 12)}`;
}
