/**
 * Content fingerprints of the external files and folders stages read (src/stages/stage-spec.ts `ExternalInput`):
 * a file's sha256; a folder's sha256 over its sorted relative file names and each file's sha256 (hidden files and
 * folders skipped, as src/images/stimuli/stimulus-folder.ts skips them), with the per-file digests returned so a
 * rerun reason can name the files that changed.
 *
 * Each file's digest is remembered by path, size, mtime and ctime (the stat data git's index trusts, git
 * `Documentation/technical/racy-git.txt`) in `<state>/fingerprints.json`, so a folder of 1,200 images is
 * stat'ed, not re-read, on every lookup. The file is a cache only: written
 * atomically, merged with what other processes wrote meanwhile, and ignored (then rebuilt) when unreadable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/pipeline-errors.js';
import { hashFile, replaceFileDurably } from './file-io.js';

export const FINGERPRINTS_FILE = 'fingerprints.json';
/** Coarser than any filesystem's timestamps we meet (FAT: 2 s; ext4, XFS, APFS: 1 ns). */
const RACY_WINDOW_NS = 2_000_000_000n;

export interface Fingerprint {
  sha256: string;
  /** Folders only: relative `/`-separated path → sha256 of each file. */
  files?: Record<string, string>;
}

const entrySchema = z.object({
  size: z.number().int().nonnegative(),
  mtimeNs: z.string(),
  ctimeNs: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
type Entry = z.infer<typeof entrySchema>;
const cacheFileSchema = z.object({ formatVersion: z.literal(1), files: z.record(z.string(), entrySchema) });

export class FingerprintCache {
  private entries: Map<string, Entry> | undefined;
  private readonly added = new Map<string, Entry>();

  /** @param hash sha256 hex of a file (a test counts the calls to see what was re-read). */
  constructor(
    readonly file: string,
    private readonly hash: (file: string) => Promise<string> = async (file) => (await hashFile(file)).sha256,
  ) {}

  static at(stateRoot: string): FingerprintCache {
    return new FingerprintCache(path.join(stateRoot, FINGERPRINTS_FILE));
  }

  /** The fingerprint of `input.path`; `label` names it in errors (a missing path is a ConfigError: bad input). */
  async fingerprint(input: { label: string; path: string; kind: 'file' | 'folder' }): Promise<Fingerprint> {
    const found = await stat(input.path).catch(() => undefined);
    const isFolder = found?.isDirectory() ?? false;
    if (!found || (input.kind === 'folder' ? !isFolder : !found.isFile())) {
      const what = !found ? 'nothing' : isFolder ? 'a folder' : found.isFile() ? 'a file' : 'neither a file nor a folder';
      throw new ConfigError(`${input.label} ${input.path}: expected a ${input.kind}, found ${what}`);
    }
    try {
      if (input.kind === 'file') return { sha256: await this.fileDigest(input.path) };
      const files: Record<string, string> = {};
      for (const relative of await listVisibleFiles(input.path)) files[relative] = await this.fileDigest(path.join(input.path, relative));
      const lines = Object.entries(files).map(([relative, sha256]) => `${relative}\t${sha256}\n`);
      return { sha256: createHash('sha256').update(lines.join('')).digest('hex'), files };
    } finally {
      this.save();
    }
  }

  private async fileDigest(file: string): Promise<string> {
    // Stat before reading: a write during the read leaves a stat that no longer matches, so the next lookup re-reads.
    const before = await stat(file, { bigint: true });
    const key = { size: Number(before.size), mtimeNs: String(before.mtimeNs), ctimeNs: String(before.ctimeNs) };
    const known = this.load().get(file);
    if (known && known.size === key.size && known.mtimeNs === key.mtimeNs && known.ctimeNs === key.ctimeNs) return known.sha256;
    const entry = { ...key, sha256: await this.hash(file) };
    // "Racily clean" (racy-git.txt): a file changed within a timestamp tick of being read could change again
    // without moving its mtime, so its digest is remembered only once the mtime is safely in the past.
    if (BigInt(Date.now()) * 1_000_000n - before.mtimeNs < RACY_WINDOW_NS) return entry.sha256;
    this.load().set(file, entry);
    this.added.set(file, entry);
    return entry.sha256;
  }

  private load(): Map<string, Entry> {
    this.entries ??= readCacheFile(this.file);
    return this.entries;
  }

  private save(): void {
    if (this.added.size === 0) return;
    // Merge with the file as it is now: another worker may have added entries since this one read it.
    const merged = readCacheFile(this.file);
    for (const [file, entry] of this.added) merged.set(file, entry);
    replaceFileDurably(this.file, JSON.stringify({ formatVersion: 1, files: Object.fromEntries(merged) }));
    this.added.clear();
  }
}

function readCacheFile(file: string): Map<string, Entry> {
  if (!existsSync(file)) return new Map();
  try {
    return new Map(Object.entries(cacheFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).files));
  } catch {
    // Only a cache: an unreadable one costs re-hashing, never a wrong digest, and is replaced on the next save.
    return new Map();
  }
}

/** Regular files under `root` (symbolic links followed, each folder once), hidden names skipped, sorted. */
async function listVisibleFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  async function walk(relative: string): Promise<void> {
    const dir = path.join(root, relative);
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      const kind = entry.isSymbolicLink() ? await stat(path.join(dir, entry.name)).catch(() => undefined) : entry;
      if (kind?.isDirectory()) await walk(child);
      else if (kind?.isFile()) out.push(child);
    }
  }
  await walk('');
  return out.sort();
}
