/**
 * The download cache shared by every experiment, content-addressed by md5 (the key Figshare publishes):
 *   <root>/md5/<md5>/<name>       the verified file (committed by rename, never written in place)
 *   <root>/md5/<md5>.json         sidecar: article, version, file id, name, size, md5, downloadedAt
 *   <root>/partial/<id>.part(.json) an unfinished download and the file it belongs to (resumed only for that file)
 * A file is "in the cache" only once its sidecar exists and the size matches, so a crash at any point leaves at
 * worst a partial that the next attempt resumes or discards.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DownloadOptions, DownloadResult } from '../figshare/download-file.js';
import { expectedMd5, type FigshareFile } from '../figshare/figshare-file.js';
import { md5OfFile } from '../figshare/md5-file.js';
import { PermanentNetworkError } from '../../errors/pipeline-errors.js';

export interface CacheEntry {
  articleId: number;
  version: number | null;
  fileId: number;
  name: string;
  size: number;
  md5: string;
  downloadedAt: string;
}

/** What the cache needs from a Figshare client (so tests and other sources can stand in). */
export interface FileDownloader {
  downloadFile(file: FigshareFile, destDir: string, options?: DownloadOptions): Promise<DownloadResult>;
}

export interface FetchResult {
  entry: CacheEntry;
  path: string;
  cacheHit: boolean;
  /** Byte offset a resumed download started from (0 for fresh downloads and cache hits). */
  resumedFrom: number;
}

export class DataCache {
  constructor(readonly root: string) {}

  get partialDir(): string {
    return join(this.root, 'partial');
  }

  pathOf(entry: Pick<CacheEntry, 'md5' | 'name'>): string {
    return join(this.root, 'md5', entry.md5, entry.name);
  }

  sidecarOf(md5: string): string {
    return join(this.root, 'md5', `${md5}.json`);
  }

  /** The committed entry for `md5`, or null when absent or when the file's size disagrees with its sidecar. */
  lookup(md5: string): CacheEntry | null {
    const sidecar = this.sidecarOf(md5);
    if (!existsSync(sidecar)) return null;
    const entry = JSON.parse(readFileSync(sidecar, 'utf8')) as CacheEntry;
    try {
      return statSync(this.pathOf(entry)).size === entry.size ? entry : null;
    } catch {
      return null;
    }
  }

  /** All committed entries (for offline listing, where no md5 is known in advance). */
  entries(): CacheEntry[] {
    const dir = join(this.root, 'md5');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => this.lookup(n.slice(0, -'.json'.length)))
      .filter((e): e is CacheEntry => e !== null);
  }

  /** Bytes of an unfinished download of file `fileId`, 0 when none. */
  partialBytes(fileId: number): number {
    try {
      return statSync(join(this.partialDir, `${fileId}.part`)).size;
    } catch {
      return 0;
    }
  }

  /** The cached copy of `file`, downloading it first when it is not there yet. */
  async fetch(
    downloader: FileDownloader,
    file: FigshareFile,
    source: { articleId: number; version: number | null },
    options: DownloadOptions = {},
  ): Promise<FetchResult> {
    const md5 = expectedMd5(file);
    if (!md5)
      throw new PermanentNetworkError(`figshare file ${file.id} "${file.name}": no md5 in the listing, cannot be cached by content`);
    const cached = this.lookup(md5);
    if (cached) return { entry: cached, path: this.pathOf(cached), cacheHit: true, resumedFrom: 0 };
    const result = await downloader.downloadFile(file, join(this.root, 'md5', md5), { ...options, partialDir: this.partialDir });
    const entry: CacheEntry = {
      articleId: source.articleId,
      version: source.version,
      fileId: file.id,
      name: file.name,
      size: file.size,
      md5,
      downloadedAt: new Date().toISOString(),
    };
    mkdirSync(join(this.root, 'md5'), { recursive: true });
    const tmp = `${this.sidecarOf(md5)}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry, null, 2));
    renameSync(tmp, this.sidecarOf(md5));
    return { entry, path: result.path, cacheHit: false, resumedFrom: result.resumedFrom };
  }

  /** Recompute the md5 of a committed entry's file. */
  async verify(entry: CacheEntry): Promise<{ ok: boolean; actualMd5: string | null }> {
    const path = this.pathOf(entry);
    if (!existsSync(path)) return { ok: false, actualMd5: null };
    const actualMd5 = await md5OfFile(path);
    return { ok: actualMd5 === entry.md5, actualMd5 };
  }
}
