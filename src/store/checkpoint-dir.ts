/**
 * Checkpoints as artifacts in miniature: the artifact store's rules (src/store/artifact-store.ts) at the size of
 * one epoch, area or image. A checkpoint is a folder of files plus `checkpoint.json`, which lists every file's bytes
 * and sha256 and is written last (temporary name → fsync → rename; POSIX rename is atomic), so a folder without it
 * is an interrupted write and holds no checkpoint. Opening one re-hashes every file and lets the caller check what
 * they hold, so a damaged checkpoint is reported with its reason and never resumed from.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { fsyncDir, replaceFileDurably } from './file-io.js';
import { injectFault } from '../threads/thread-faults.js';
import { sha256Hex as sha256 } from '../util/canonical-json.js';

export const CHECKPOINT_MANIFEST = 'checkpoint.json';
const FORMAT_VERSION = 1;

const manifestSchema = z
  .object({
    formatVersion: z.literal(FORMAT_VERSION),
    files: z.array(
      z
        .object({
          // Flat names only: a manifest never points outside its folder.
          path: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
          bytes: z.number().int().nonnegative(),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
        })
        .strict(),
    ),
  })
  .strict();

export type CheckpointListing = z.infer<typeof manifestSchema>['files'];

/** The files a checkpoint's manifest text lists; null when the text is not a checkpoint manifest. */
export function parseCheckpointListing(text: string): CheckpointListing | null {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.files : null;
  } catch {
    return null;
  }
}

/** Thrown by a decoder when files that passed their digests still do not hold a usable checkpoint. */
export class CheckpointDamage extends Error {}

export type CheckpointFiles = ReadonlyMap<string, Buffer>;
export type OpenedCheckpoint<T> = { status: 'absent' } | { status: 'intact'; value: T } | { status: 'damaged'; reason: string };

/** First zod issue as `path: message`, short enough for a progress line. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** Write the checkpoint in `dir` (replacing one already there): files first, then the manifest that makes it count. */
export function writeCheckpointDir(dir: string, files: Readonly<Record<string, Uint8Array | string>>): void {
  mkdirSync(dir, { recursive: true });
  const manifestPath = join(dir, CHECKPOINT_MANIFEST);
  if (existsSync(manifestPath)) {
    // Retract the old checkpoint before its files are replaced, so the folder never lists files it does not hold.
    rmSync(manifestPath, { force: true });
    fsyncDir(dir);
  }
  const listed = Object.entries(files).map(([path, data]) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    replaceFileDurably(join(dir, path), bytes);
    return { path, bytes: bytes.length, sha256: sha256(bytes) };
  });
  injectFault(`checkpoint-written:${basename(dirname(dir))}`);
  replaceFileDurably(manifestPath, JSON.stringify({ formatVersion: FORMAT_VERSION, files: listed }));
}

/**
 * The checkpoint in `dir`: absent (no folder), damaged (no or bad manifest, a file missing, resized or altered, or
 * `decode` throws CheckpointDamage), or intact with what `decode` made of its verified files.
 */
export function openCheckpointDir<T>(dir: string, decode: (files: CheckpointFiles) => T): OpenedCheckpoint<T> {
  if (!existsSync(dir)) return { status: 'absent' };
  const damaged = (reason: string) => ({ status: 'damaged', reason }) as const;
  const manifestPath = join(dir, CHECKPOINT_MANIFEST);
  if (!existsSync(manifestPath)) return damaged(`incomplete: no ${CHECKPOINT_MANIFEST}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return damaged(`${CHECKPOINT_MANIFEST} is not JSON`);
  }
  const manifest = manifestSchema.safeParse(json);
  if (!manifest.success) return damaged(`${CHECKPOINT_MANIFEST}: ${firstIssue(manifest.error)}`);
  const files = new Map<string, Buffer>();
  for (const entry of manifest.data.files) {
    const path = join(dir, entry.path);
    if (!existsSync(path)) return damaged(`${entry.path} missing`);
    const bytes = readFileSync(path);
    if (bytes.length !== entry.bytes) return damaged(`${entry.path} has ${bytes.length} bytes, ${entry.bytes} listed`);
    if (sha256(bytes) !== entry.sha256) return damaged(`${entry.path} sha256 mismatch`);
    files.set(entry.path, bytes);
  }
  try {
    return { status: 'intact', value: decode(files) };
  } catch (error) {
    if (error instanceof CheckpointDamage) return damaged(error.message);
    throw error;
  }
}

/** `name` of a verified checkpoint, parsed as JSON and validated by `schema`; anything else is CheckpointDamage. */
export function checkpointJson<S extends z.ZodTypeAny>(files: CheckpointFiles, name: string, schema: S): z.infer<S> {
  const bytes = files.get(name);
  if (!bytes) throw new CheckpointDamage(`${name} not listed`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CheckpointDamage(`${name} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CheckpointDamage(`${name}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** Remove a checkpoint: the manifest first, so a crash midway leaves an incomplete folder, not a damaged one. */
function removeCheckpointDir(dir: string): void {
  rmSync(join(dir, CHECKPOINT_MANIFEST), { force: true });
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Numbered checkpoints `<root>/<prefix>-<n>/` (e.g. one per checkpointed epoch), of which the newest `keep` stay,
 * so a damaged newest one leaves an intact one to fall back to.
 */
export class CheckpointSeries {
  constructor(
    private readonly root: string,
    private readonly prefix: string,
    private readonly keep = 2,
  ) {}

  private dirOf(step: number): string {
    return join(this.root, `${this.prefix}-${step}`);
  }

  /** Steps present on disk, newest first (temporary and foreign names ignored). */
  private steps(): number[] {
    if (!existsSync(this.root)) return [];
    const pattern = new RegExp(`^${this.prefix}-(\\d+)$`);
    return readdirSync(this.root)
      .flatMap((name) => {
        const match = pattern.exec(name);
        return match ? [Number(match[1])] : [];
      })
      .sort((a, b) => b - a);
  }

  save(step: number, files: Readonly<Record<string, Uint8Array | string>>): void {
    writeCheckpointDir(this.dirOf(step), files);
    // A step above the one just written belongs to a line of work this run fell back from (it was damaged).
    const others = this.steps().filter((s) => s !== step);
    const stale = [...others.filter((s) => s > step), ...others.filter((s) => s < step).slice(this.keep - 1)];
    for (const s of stale) removeCheckpointDir(this.dirOf(s));
  }

  /** The newest checkpoint that opens intact, and every newer one that did not (newest first). */
  newest<T>(decode: (files: CheckpointFiles, step: number) => T): {
    found: { step: number; value: T } | null;
    damaged: { step: number; reason: string }[];
  } {
    const damaged: { step: number; reason: string }[] = [];
    for (const step of this.steps()) {
      const opened = openCheckpointDir(this.dirOf(step), (files) => decode(files, step));
      if (opened.status === 'intact') return { found: { step, value: opened.value }, damaged };
      if (opened.status === 'damaged') damaged.push({ step, reason: opened.reason });
    }
    return { found: null, damaged };
  }
}
