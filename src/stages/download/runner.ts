/**
 * Download stage: list the manifest's article, resolve its requirements, and fetch each file into the shared
 * data cache (a cache hit costs no request). Progress carries `{ fileId, bytes }` as the checkpoint; the partial
 * file itself lives in the data cache, so a retried attempt resumes it with Range whatever the token says.
 * Output table `files` (src/tables/downloads.ts) tells the loader stages where each file lies in the data cache.
 */
import path from 'node:path';
import { DataCache } from '../../data/cache/data-cache.js';
import { loadManifest } from '../../data/manifests/manifest-schema.js';
import { resolveManifest } from '../../data/manifests/resolve-manifest.js';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { FigshareClient } from '../../data/figshare/figshare-client.js';
import { expectedMd5 } from '../../data/figshare/figshare-file.js';
import { DOWNLOADED_FILES } from '../../tables/downloads.js';
import type { StageRunner } from '../stage-definition.js';
import type { DownloadParams } from './spec.js';

export const runner: StageRunner<DownloadParams> = {
  async run(ctx) {
    // Absolute once the config is loaded (src/config/external-paths.ts); its content is in the cache key.
    const manifestPath = ctx.params.manifest;
    const manifest = loadManifest(manifestPath);
    const client = new FigshareClient({
      apiBaseUrl: ctx.params.apiBaseUrl,
      allowedHosts: ctx.params.allowedHosts,
      requestsPerSecond: ctx.params.requestsPerSecond,
    });
    ctx.progress({ fraction: 0, message: `listing figshare article ${manifest.article.id}` });
    const listing = await client.listFiles(manifest.article.id, manifest.article.version, ctx.signal);
    const resolved = resolveManifest(manifest, listing, manifestPath);
    for (const { requirement, file } of resolved) {
      if (requirement.md5 && requirement.md5 !== expectedMd5(file)) {
        throw new DataValidationError(
          `${manifestPath}: role "${requirement.role}": "${file.name}" has md5 ${expectedMd5(file)}, the manifest expects ${requirement.md5}`,
        );
      }
    }

    const cache = new DataCache(ctx.dataCacheDir);
    const totalBytes = resolved.reduce((n, r) => n + r.file.size, 0) || 1;
    let doneBytes = 0;
    let downloaded = 0;
    let bytesDownloaded = 0;
    let resumed = 0;
    const rows: {
      role: string;
      name: string;
      md5: string;
      size: number;
      cachePath: string;
      loader: string;
      subject: string;
      split: string;
    }[] = [];
    for (const { requirement, file } of resolved) {
      let lastReport = 0;
      const result = await cache.fetch(
        client,
        file,
        { articleId: manifest.article.id, version: manifest.article.version },
        {
          signal: ctx.signal,
          onProgress: (bytes) => {
            if (bytes - lastReport < 1 << 20 && bytes < file.size) return; // one heartbeat per MiB is plenty
            lastReport = bytes;
            ctx.progress({
              fraction: (doneBytes + bytes) / totalBytes,
              message: `${file.name}: ${(bytes / 2 ** 20).toFixed(1)} / ${(file.size / 2 ** 20).toFixed(1)} MiB`,
              checkpoint: { fileId: file.id, bytes },
            });
          },
        },
      );
      doneBytes += file.size;
      if (!result.cacheHit) {
        downloaded += 1;
        bytesDownloaded += file.size - result.resumedFrom;
        if (result.resumedFrom > 0) resumed += 1;
      }
      ctx.log(`${requirement.role}: ${file.name} ${result.cacheHit ? 'already cached' : 'downloaded'} (${result.entry.md5})`);
      rows.push({
        role: requirement.role,
        name: file.name,
        md5: result.entry.md5,
        size: file.size,
        // Relative to the cache's root: where the cache lies differs from worker to worker (downloaded-files.ts).
        cachePath: path.relative(ctx.dataCacheDir, result.path),
        loader: requirement.loader,
        subject: requirement.subject ?? '',
        split: requirement.split ?? '',
      });
      ctx.progress({ fraction: doneBytes / totalBytes, message: `${file.name} ready` });
    }

    DOWNLOADED_FILES.write(
      ctx.output,
      {
        role: rows.map((r) => r.role),
        name: rows.map((r) => r.name),
        md5: rows.map((r) => r.md5),
        size: rows.map((r) => r.size),
        cache_path: rows.map((r) => r.cachePath),
        loader: rows.map((r) => r.loader),
        subject: rows.map((r) => r.subject),
        split: rows.map((r) => r.split),
      },
      { manifest: ctx.params.manifest, article: manifest.article },
    );
    return {
      summary: {
        files: rows.length,
        downloaded,
        cacheHits: rows.length - downloaded,
        resumed,
        bytesDownloaded,
        bytesTotal: resolved.reduce((n, r) => n + r.file.size, 0),
      },
    };
  },
};
