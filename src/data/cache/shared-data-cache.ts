/**
 * The download cache (src/data/cache/data-cache.ts) shared through an object store, for workers that share no
 * disk: after a stage that downloads commits, each entry the store lacks goes up, its file first and its sidecar
 * last (the sidecar is what makes an entry count, there as here); before a stage that reads downloaded files runs,
 * the entries this worker lacks come down, each file checked against its md5 (the checksum Figshare publishes)
 * before its sidecar is written. Remote layout, under the store's prefix, as the local one:
 *   data-cache/md5/<md5>/<name>   data-cache/md5/<md5>.json
 */
import { rmSync } from 'node:fs';
import { z } from 'zod';
import { replaceFileDurably } from '../../store/file-io.js';
import type { ObjectStore } from '../../store/object-store.js';
import { md5OfFile } from '../figshare/md5-file.js';
import { DataCache, type CacheEntry } from './data-cache.js';

const PREFIX = 'data-cache/md5/';

const entrySchema = z.object({
  articleId: z.number().int(),
  version: z.number().int().nullable(),
  fileId: z.number().int(),
  name: z.string().regex(/^[^/\\]+$/),
  size: z.number().int().nonnegative(),
  md5: z.string().regex(/^[0-9a-f]{32}$/),
  downloadedAt: z.string(),
}) satisfies z.ZodType<CacheEntry>;

export class SharedDataCache {
  constructor(readonly remote: ObjectStore) {}

  /** Upload the entries of the cache at `root` that the store lacks; returns their names. */
  async push(root: string): Promise<string[]> {
    const cache = new DataCache(root);
    const there = new Set(await this.remote.list(PREFIX));
    const pushed: string[] = [];
    for (const entry of cache.entries()) {
      const sidecar = `${PREFIX}${entry.md5}.json`;
      if (there.has(sidecar)) continue;
      await this.remote.putFile(`${PREFIX}${entry.md5}/${entry.name}`, cache.pathOf(entry));
      await this.remote.putBytes(sidecar, Buffer.from(JSON.stringify(entry, null, 2)));
      pushed.push(entry.name);
    }
    return pushed;
  }

  /**
   * Download the entries this worker's cache at `root` lacks; returns their names. An entry whose file does not
   * match its md5, or whose sidecar is not one, is passed over (the stage that needs it reports it missing).
   */
  async pull(root: string): Promise<string[]> {
    const cache = new DataCache(root);
    const pulled: string[] = [];
    for (const key of await this.remote.list(PREFIX)) {
      const md5 = /^data-cache\/md5\/([0-9a-f]{32})\.json$/.exec(key)?.[1];
      if (!md5 || cache.lookup(md5)) continue;
      const bytes = await this.remote.getBytes(key);
      const entry = bytes && parseEntry(Buffer.from(bytes).toString('utf8'));
      if (!entry || entry.md5 !== md5) continue;
      const file = cache.pathOf(entry);
      const got = await this.remote.getFile(`${PREFIX}${md5}/${entry.name}`, file);
      if (got === null || got.bytes !== entry.size || (await md5OfFile(file)) !== md5) {
        rmSync(file, { force: true });
        continue;
      }
      replaceFileDurably(cache.sidecarOf(md5), bytes);
      pulled.push(entry.name);
    }
    return pulled;
  }
}

function parseEntry(text: string): CacheEntry | null {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
