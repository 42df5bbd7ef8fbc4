/**
 * The size limit of a worker's local copy of a shared store (src/store/shared-artifacts.ts): after a download or
 * a commit, the least recently used artifacts leave the local cache until it fits again, except those a stage of
 * this process has open. An evicted artifact is still in the shared store and is downloaded again when needed.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/pipeline-errors.js';
import { loadManifest, type ArtifactStore } from './artifact-store.js';
import { ownedName } from './owner-tag.js';

export const CACHE_LIMIT_ENV = 'PAM_STORE_CACHE_GB';
const DEFAULT_LIMIT_GIB = 20;

/** `PAM_STORE_CACHE_GB` in bytes (default 20 GiB). */
export function cacheLimitBytes(env: NodeJS.ProcessEnv): number {
  const text = env[CACHE_LIMIT_ENV]?.trim();
  if (!text) return DEFAULT_LIMIT_GIB * 2 ** 30;
  const gib = Number(text);
  if (!Number.isFinite(gib) || gib <= 0)
    throw new ConfigError(`${CACHE_LIMIT_ENV}=${text}: expected the local cache's size limit in GiB, a positive number`);
  return gib * 2 ** 30;
}

/** Mark an artifact as just used (its folder's mtime orders eviction). */
export function markUsed(dir: string): void {
  const now = new Date();
  utimesSync(dir, now, now);
}

/**
 * Evict least recently used artifacts until the cache holds at most `limitBytes`; `inUse` holds `<stage>/<key>`
 * ids that stay. An artifact leaves by one rename into the staging area (then removal), so a reader finds it
 * whole or not at all. Returns the evicted ids.
 */
export function evictOver(store: ArtifactStore, limitBytes: number, inUse: { has(id: string): boolean }): string[] {
  const root = path.join(store.root, 'artifacts');
  if (!existsSync(root)) return [];
  const cached = readdirSync(root)
    .filter((stage) => !stage.startsWith('.'))
    .flatMap((stage) =>
      readdirSync(path.join(root, stage)).map((key) => {
        const dir = path.join(root, stage, key);
        const parsed = loadManifest(dir);
        const bytes = parsed.ok ? parsed.manifest.files.reduce((sum, f) => sum + f.bytes, 0) : 0;
        return { id: `${stage}/${key}`, stage, key, dir, bytes, usedAt: statSync(dir).mtimeMs };
      }),
    )
    .sort((a, b) => a.usedAt - b.usedAt);
  let total = cached.reduce((sum, c) => sum + c.bytes, 0);
  const evicted: string[] = [];
  mkdirSync(store.stagingRoot(), { recursive: true });
  for (const c of cached) {
    if (total <= limitBytes) break;
    if (inUse.has(c.id)) continue;
    const aside = path.join(store.stagingRoot(), ownedName(`${store.stagingPrefix(c.stage, c.key)}-evicted`));
    try {
      renameSync(c.dir, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    rmSync(aside, { recursive: true, force: true });
    total -= c.bytes;
    evicted.push(c.id);
  }
  return evicted;
}
