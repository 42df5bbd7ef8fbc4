/**
 * A stage's checkpoints mirrored to the shared store, so that an attempt retried on another worker resumes from
 * the last checkpoint instead of from zero. Locally a stage's partial folder holds checkpoint folders (at any
 * depth: `pam/epoch-6/`), each complete once its `checkpoint.json` is written (src/store/checkpoint-dir.ts). The
 * shared copy keeps that rule: under `partial/<stage>/<key>/<folder>/` the files go first and `checkpoint.json`
 * last; a folder the local series pruned loses its `checkpoint.json` first. Whatever is pulled is verified against
 * its listing before it is written, and written the same way, so the stage opens it like one of its own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKPOINT_MANIFEST, parseCheckpointListing } from './checkpoint-dir.js';
import { replaceFileDurably } from './file-io.js';
import type { ObjectStore } from './object-store.js';
import { sha256Hex as sha256 } from '../util/canonical-json.js';
import { ATTEMPT_LOG_PATTERN, type AttemptLog } from './stage-log-files.js';

export class SharedCheckpoints {
  /** Remote folder → the manifest text last pushed there (or pulled from it) by this process. */
  private readonly mirrored = new Map<string, string>();

  constructor(readonly remote: ObjectStore) {}

  /** Upload every complete local checkpoint not yet there; drop the shared ones the local series no longer holds. */
  async push(stage: string, key: string, partialDir: string): Promise<void> {
    const base = partialPrefix(stage, key);
    const local = checkpointFolders(partialDir);
    for (const folder of local) {
      const remoteFolder = `${base}${folder}/`;
      const text = readText(path.join(partialDir, folder, CHECKPOINT_MANIFEST));
      if (text === null || this.mirrored.get(remoteFolder) === text) continue;
      const listing = parseCheckpointListing(text);
      const files = listing && readListed(path.join(partialDir, folder), listing);
      // Being replaced while we read (the stage thread writes on): the next push takes the new one.
      if (!files) continue;
      for (const [name, bytes] of files) await this.remote.putBytes(`${remoteFolder}${name}`, bytes);
      await this.remote.putBytes(`${remoteFolder}${CHECKPOINT_MANIFEST}`, Buffer.from(text));
      this.mirrored.set(remoteFolder, text);
    }
    const keep = new Set(local.map((folder) => `${base}${folder}/`));
    const keys = await this.remote.list(base);
    for (const folder of folderOf(keys)) {
      if (keep.has(folder)) continue;
      await this.remote.delete([`${folder}${CHECKPOINT_MANIFEST}`]);
      await this.remote.delete(keys.filter((k) => k.startsWith(folder)));
      this.mirrored.delete(folder);
    }
  }

  /** Download the shared checkpoints this worker lacks into `partialDir`; returns the folders it wrote. */
  async pull(stage: string, key: string, partialDir: string): Promise<string[]> {
    const base = partialPrefix(stage, key);
    const pulled: string[] = [];
    for (const remoteFolder of folderOf(await this.remote.list(base))) {
      const folder = remoteFolder.slice(base.length, -1);
      const localDir = path.join(partialDir, ...folder.split('/'));
      if (existsSync(path.join(localDir, CHECKPOINT_MANIFEST))) continue;
      const manifest = await this.remote.getBytes(`${remoteFolder}${CHECKPOINT_MANIFEST}`);
      const listing = manifest && parseCheckpointListing(Buffer.from(manifest).toString('utf8'));
      if (!listing) continue;
      const files = new Map<string, Uint8Array>();
      for (const entry of listing) {
        const bytes = await this.remote.getBytes(`${remoteFolder}${entry.path}`);
        if (bytes === null || bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) break;
        files.set(entry.path, bytes);
      }
      // An incomplete or altered shared checkpoint is passed over, as a damaged local one would be.
      if (files.size !== listing.length) continue;
      for (const [name, bytes] of files) replaceFileDurably(path.join(localDir, name), bytes);
      replaceFileDurably(path.join(localDir, CHECKPOINT_MANIFEST), manifest!);
      this.mirrored.set(remoteFolder, Buffer.from(manifest!).toString('utf8'));
      pulled.push(folder);
    }
    return pulled;
  }

  /** Keep a failed attempt's log beside the key's shared checkpoints (src/store/stage-log-files.ts). */
  async putAttemptLog(stage: string, key: string, name: string, text: string): Promise<void> {
    await this.remote.putBytes(`${partialPrefix(stage, key)}${name}`, Buffer.from(text));
  }

  /** The failed attempts' logs kept in the shared store for a key, oldest first. */
  async attemptLogs(stage: string, key: string): Promise<AttemptLog[]> {
    const base = partialPrefix(stage, key);
    const names = (await this.remote.list(base))
      .map((k) => k.slice(base.length))
      .filter((name) => ATTEMPT_LOG_PATTERN.test(name))
      .sort();
    const logs: AttemptLog[] = [];
    for (const name of names) {
      const bytes = await this.remote.getBytes(`${base}${name}`);
      if (bytes !== null) logs.push({ name, text: Buffer.from(bytes).toString('utf8') });
    }
    return logs;
  }

  /** Remove the key's shared checkpoints (its artifact is committed: it never resumes again). */
  async drop(stage: string, key: string): Promise<void> {
    const keys = await this.remote.list(partialPrefix(stage, key));
    await this.remote.delete(keys.filter((k) => k.endsWith(`/${CHECKPOINT_MANIFEST}`)));
    await this.remote.delete(keys);
    for (const folder of [...this.mirrored.keys()]) if (folder.startsWith(partialPrefix(stage, key))) this.mirrored.delete(folder);
  }
}

function partialPrefix(stage: string, key: string): string {
  return `partial/${stage}/${key}/`;
}

/** The `/`-separated folders under `root` that hold a checkpoint manifest. */
function checkpointFolders(root: string, relative = ''): string[] {
  const dir = path.join(root, relative);
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name === CHECKPOINT_MANIFEST) && relative !== '' ? [relative] : [];
  const below = entries.filter((e) => e.isDirectory()).flatMap((e) => checkpointFolders(root, relative ? `${relative}/${e.name}` : e.name));
  return [...here, ...below];
}

/** The folders (`…/`) of the keys that end in a checkpoint manifest. */
function folderOf(keys: readonly string[]): string[] {
  return keys.filter((k) => k.endsWith(`/${CHECKPOINT_MANIFEST}`)).map((k) => k.slice(0, -CHECKPOINT_MANIFEST.length));
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The listed files' bytes, or null when one is missing or no longer matches the listing. */
function readListed(dir: string, listing: readonly { path: string; bytes: number; sha256: string }[]): Map<string, Uint8Array> | null {
  const files = new Map<string, Uint8Array>();
  for (const entry of listing) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(dir, entry.path));
    } catch {
      return null;
    }
    if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) return null;
    files.set(entry.path, bytes);
  }
  return files;
}
