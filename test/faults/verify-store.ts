/**
 * The fault suite's own verifier of a PAM_HOME, written apart from src/store on purpose: a bug in the store's
 * verification must not hide itself here. It reads every manifest as plain JSON, re-hashes every listed file with
 * node:crypto and checks sizes, Arrow magic bytes and that no file is unlisted; it re-hashes every checkpoint
 * (`checkpoint.json` beside its files, src/store/checkpoint-dir.ts's layout, read here from disk only); and it
 * counts what dead attempts may leave behind (a failed attempt's log beside its checkpoints is no leftover).
 *
 * Layout it walks (README "Artifact store = the cache"): `artifacts/<stage>/<key>/` committed, `artifacts/.staging/`
 * being written, `artifacts/.quarantine/` moved aside, `partial/<stage>/<key>/` checkpoints of uncommitted keys.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface StoreReport {
  /** `<stage>/<key>` → file path → sha256, of every committed artifact that verified. */
  artifacts: Map<string, Map<string, string>>;
  /** `<stage>/<key>` → summary, from the manifests that verified. */
  summaries: Map<string, Record<string, unknown>>;
  /** `<stage>/<key>` → the attempt that committed it (manifest `producer.attempt`). */
  attempts: Map<string, number | undefined>;
  /** `<stage>/<key>` → when it was committed (manifest `timings.finishedAt`, ms since the epoch). */
  committedAt: Map<string, number>;
  /** One line per damaged committed artifact or checkpoint. */
  damaged: string[];
  /** Intact checkpoints seen (uncommitted keys only: a commit deletes its key's checkpoints). */
  checkpoints: number;
  /** One line per leftover: staging folders, temporary files, incomplete checkpoints, checkpoints of committed keys. */
  leftovers: string[];
  /** Artifacts moved aside as damaged (expected after a disk fault; never used). */
  quarantined: number;
}

const ARROW_MAGIC = 'ARROW1';
/** Temporary names of durable writes: `<file>.tmp~<owner>~<hex>` (src/store/owner-tag.ts), older `<file>.tmp-<pid>-<hex>`. */
const TEMPORARY = /\.tmp(~|-\d+-[0-9a-f]+$|$)/;
const CHECKPOINT_MANIFEST = 'checkpoint.json';
/** A failed attempt's log beside the checkpoints: `attempt-<start>-<n>.log` (src/store/stage-log-files.ts). */
const ATTEMPT_LOG_PATTERN = /^attempt-\d{8}T\d{6}\.\d{3}Z-\d+\.log$/;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const subdirs = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name] : [])) : [];

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, child) : [child];
  });
}

interface ListedFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** The problems of one folder against the files its manifest lists; `extra` are names allowed beside them. */
function checkListed(dir: string, listed: ListedFile[], extra: string[]): string[] {
  const problems: string[] = [];
  for (const file of listed) {
    const full = path.join(dir, file.path);
    if (!existsSync(full)) {
      problems.push(`${file.path} missing`);
      continue;
    }
    const bytes = readFileSync(full);
    if (bytes.length !== file.bytes) problems.push(`${file.path} has ${bytes.length} bytes, manifest says ${file.bytes}`);
    else if (sha256(bytes) !== file.sha256) problems.push(`${file.path} sha256 differs from the manifest`);
    else if (file.path.endsWith('.arrow') && !hasArrowMagic(bytes)) problems.push(`${file.path} lacks the Arrow file magic`);
  }
  const known = new Set([...listed.map((f) => f.path), ...extra]);
  for (const rel of filesUnder(dir)) if (!known.has(rel)) problems.push(`${rel} is not in the manifest`);
  return problems;
}

/** Arrow IPC file format: `ARROW1` + 2 padding bytes at the start, `ARROW1` at the end. */
function hasArrowMagic(bytes: Buffer): boolean {
  return bytes.toString('latin1', 0, 6) === ARROW_MAGIC && bytes.toString('latin1', bytes.length - 6) === ARROW_MAGIC;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isListedFiles(value: unknown): value is ListedFile[] {
  return (
    Array.isArray(value) && value.every((f) => typeof f?.path === 'string' && typeof f?.bytes === 'number' && typeof f?.sha256 === 'string')
  );
}

function verifyArtifacts(home: string, report: StoreReport): void {
  const root = path.join(home, 'artifacts');
  for (const stage of subdirs(root).filter((name) => !name.startsWith('.'))) {
    for (const key of subdirs(path.join(root, stage))) {
      const id = `${stage}/${key}`;
      const dir = path.join(root, stage, key);
      const manifest = readJson(path.join(dir, 'manifest.json')) as
        | {
            stage?: unknown;
            key?: unknown;
            files?: unknown;
            summary?: Record<string, unknown>;
            producer?: { attempt?: number };
            timings?: { finishedAt?: string };
          }
        | undefined;
      if (!manifest || !isListedFiles(manifest.files)) {
        report.damaged.push(`artifact ${id}: manifest.json missing or unreadable`);
        continue;
      }
      const problems = checkListed(dir, manifest.files, ['manifest.json']);
      if (manifest.stage !== stage || manifest.key !== key)
        problems.push(`manifest names ${String(manifest.stage)}/${String(manifest.key)}`);
      if (problems.length > 0) {
        report.damaged.push(`artifact ${id}: ${problems.join('; ')}`);
        continue;
      }
      report.artifacts.set(id, new Map(manifest.files.map((f) => [f.path, f.sha256])));
      report.summaries.set(id, manifest.summary ?? {});
      report.attempts.set(id, manifest.producer?.attempt);
      report.committedAt.set(id, Date.parse(manifest.timings?.finishedAt ?? ''));
    }
  }
  report.quarantined = subdirs(path.join(root, '.quarantine')).length;
  for (const name of subdirs(path.join(root, '.staging'))) report.leftovers.push(`staging folder artifacts/.staging/${name}`);
}

/** Every checkpoint folder (one holding checkpoint.json) and every folder under partial/ that should be one. */
function verifyCheckpoints(home: string, report: StoreReport): void {
  const root = path.join(home, 'partial');
  for (const stage of subdirs(root)) {
    for (const key of subdirs(path.join(root, stage))) {
      if (report.artifacts.has(`${stage}/${key}`))
        report.leftovers.push(`checkpoints of committed ${stage}/${key.slice(0, 12)}… in partial/`);
      walkCheckpoints(path.join(root, stage, key), `${stage}/${key.slice(0, 12)}…`, report);
    }
  }
}

function walkCheckpoints(dir: string, label: string, report: StoreReport): void {
  const names = readdirSync(dir);
  if (names.includes(CHECKPOINT_MANIFEST)) {
    const manifest = readJson(path.join(dir, CHECKPOINT_MANIFEST)) as { files?: unknown } | undefined;
    const where = `checkpoint ${label}/${path.basename(dir)}`;
    if (!manifest || !isListedFiles(manifest.files)) report.damaged.push(`${where}: ${CHECKPOINT_MANIFEST} unreadable`);
    else {
      const problems = checkListed(dir, manifest.files, [CHECKPOINT_MANIFEST]);
      if (problems.length > 0) report.damaged.push(`${where}: ${problems.join('; ')}`);
      else report.checkpoints += 1;
    }
    return;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walkCheckpoints(full, `${label}/${path.basename(dir)}`, report);
  }
  // A folder of files without checkpoint.json is a checkpoint whose write was interrupted; the failed attempts' logs
  // kept beside the checkpoints (src/store/stage-log-files.ts) are not.
  if (names.some((name) => !ATTEMPT_LOG_PATTERN.test(name) && !statSync(path.join(dir, name)).isDirectory()))
    report.leftovers.push(`incomplete checkpoint ${label}/${path.basename(dir)} (no ${CHECKPOINT_MANIFEST})`);
}

function countTemporaryFiles(home: string, report: StoreReport): void {
  for (const top of ['artifacts', 'partial', 'experiments']) {
    const dir = path.join(home, top);
    if (!existsSync(dir)) continue;
    for (const rel of filesUnder(dir)) if (TEMPORARY.test(path.basename(rel))) report.leftovers.push(`temporary file ${top}/${rel}`);
  }
  for (const name of existsSync(home) ? readdirSync(home) : []) if (TEMPORARY.test(name)) report.leftovers.push(`temporary file ${name}`);
}

export function verifyStore(home: string): StoreReport {
  const report: StoreReport = {
    artifacts: new Map(),
    summaries: new Map(),
    attempts: new Map(),
    committedAt: new Map(),
    damaged: [],
    checkpoints: 0,
    leftovers: [],
    quarantined: 0,
  };
  verifyArtifacts(home, report);
  verifyCheckpoints(home, report);
  countTemporaryFiles(home, report);
  return report;
}

/** `<stage>/<key>` shortened for a table cell. */
const short = (id: string): string => `${id.slice(0, id.indexOf('/') + 13)}…`;

/**
 * Each run's `report` artifact (src/report/report-artifact.ts) shows that run's timings, hosts and cache hits, so it
 * is verified like every artifact but not compared with the clean run's.
 */
export const isResult = (id: string): boolean => !id.startsWith('report/');

/** The attempt's log in an artifact (src/store/stage-log-files.ts): its times and attempt differ between runs. */
const STAGE_LOG = 'stage.log';

/**
 * How `actual`'s committed artifacts differ from `expected`'s (keys and file digests; manifests hold timings, and
 * `stage.log` the attempt's own story, so neither is a result).
 */
export function artifactDifferences(expected: StoreReport, actual: StoreReport): string[] {
  const out: string[] = [];
  for (const [id, files] of [...expected.artifacts].filter(([id]) => isResult(id))) {
    const other = actual.artifacts.get(id);
    if (!other) {
      out.push(`${short(id)} missing`);
      continue;
    }
    for (const [file, digest] of files) if (file !== STAGE_LOG && other.get(file) !== digest) out.push(`${short(id)} ${file} differs`);
  }
  for (const id of actual.artifacts.keys()) if (isResult(id) && !expected.artifacts.has(id)) out.push(`${short(id)} not in the clean run`);
  return out;
}
