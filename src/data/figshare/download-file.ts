/**
 * Download one Figshare file safely (docs/datasets.md §C client advice): through the API endpoint `/file/download/<id>`
 * (no WAF challenge; range requests work — tonic PR #337, HALFpipe PR #941), streamed into
 * `<partialDir>/<id>.part`, resumed with `Range: bytes=<offset>-` when a partial of the *same* file (sidecar: id,
 * size, md5) exists, checked for size and md5, and only then renamed into `destDir/<name>`. A 202 or an empty body
 * is a failure; an md5 mismatch deletes the partial and downloads once more before failing for good.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentNetworkError, TransientNetworkError } from '../../errors/pipeline-errors.js';
import { assertSafeFileName, expectedMd5, type FigshareFile } from './figshare-file.js';
import { httpGet, type HttpClientConfig } from './http-client.js';
import { asNetworkError, giveUp, throwForStatus } from './http-status.js';
import { md5OfFile } from './md5-file.js';
import { lockPartial } from './partial-lock.js';
import { withRetry, type RetryPolicy } from './retry.js';

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?(bytesDone: number, bytesTotal: number): void;
  /** Continue from an existing partial of the same file (default true). */
  resumeFromPartial?: boolean;
  /** Where `<id>.part` lives (default `destDir`). */
  partialDir?: string;
}

export interface DownloadResult {
  path: string;
  md5: string;
  bytes: number;
  /** Byte offset the first request of this call started from (> 0 when a partial was resumed). */
  resumedFrom: number;
}

interface PartialSidecar {
  fileId: number;
  size: number;
  md5: string;
}

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** Bytes already on disk for this exact file; anything else is cleared. */
function preparePartial(partial: string, sidecar: PartialSidecar, resume: boolean): number {
  const sidecarPath = `${partial}.json`;
  let previous: PartialSidecar | null = null;
  try {
    previous = JSON.parse(readFileSync(sidecarPath, 'utf8')) as PartialSidecar;
  } catch {
    previous = null;
  }
  const same = previous?.fileId === sidecar.fileId && previous.size === sidecar.size && previous.md5 === sidecar.md5;
  const have = sizeOf(partial);
  if (resume && same && have <= sidecar.size) return have;
  rmSync(partial, { force: true });
  writeFileSync(sidecarPath, JSON.stringify(sidecar));
  return 0;
}

export async function downloadFigshareFile(
  config: HttpClientConfig & { apiBaseUrl: string; retry: RetryPolicy },
  file: FigshareFile,
  destDir: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const what = `figshare file ${file.id} "${file.name}"`;
  assertSafeFileName(file.name, what);
  if (file.is_link_only) throw new PermanentNetworkError(`${what}: is a link to another site (is_link_only), not a Figshare-hosted file`);
  const md5 = expectedMd5(file);
  if (!md5) throw new PermanentNetworkError(`${what}: the listing gives no computed_md5 or supplied_md5 to verify against`);
  const partialDir = options.partialDir ?? destDir;
  mkdirSync(partialDir, { recursive: true });
  const partial = join(partialDir, `${file.id}.part`);
  const unlock = lockPartial(partial, what);
  try {
    return await downloadLocked(config, file, md5, partial, destDir, options, what);
  } finally {
    unlock();
  }
}

async function downloadLocked(
  config: HttpClientConfig & { apiBaseUrl: string; retry: RetryPolicy },
  file: FigshareFile,
  md5: string,
  partial: string,
  destDir: string,
  options: DownloadOptions,
  what: string,
): Promise<DownloadResult> {
  const resumedFrom = preparePartial(partial, { fileId: file.id, size: file.size, md5 }, options.resumeFromPartial ?? true);
  let mismatches = 0;

  return withRetry(
    config.retry,
    options.signal,
    async () => {
      let offset = sizeOf(partial);
      if (offset < file.size || file.size === 0) offset = await transfer(config, file, partial, offset, what, options);
      const got = await md5OfFile(partial);
      if (got !== md5) {
        rmSync(partial, { force: true });
        mismatches += 1;
        if (mismatches >= 2) throw new PermanentNetworkError(`${what}: md5 ${got} ≠ expected ${md5}, again after a fresh re-download`);
        throw new TransientNetworkError(`${what}: md5 ${got} ≠ expected ${md5}; downloading again from byte 0`);
      }
      mkdirSync(destDir, { recursive: true });
      const path = join(destDir, file.name);
      renameSync(partial, path);
      rmSync(`${partial}.json`, { force: true });
      return { path, md5, bytes: file.size, resumedFrom };
    },
    giveUp,
  );
}

/** One HTTP exchange appending to `partial` from `offset`; returns the bytes on disk afterwards. */
async function transfer(
  config: HttpClientConfig & { apiBaseUrl: string },
  file: FigshareFile,
  partial: string,
  offset: number,
  what: string,
  options: DownloadOptions,
): Promise<number> {
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  const opened = await httpGet(config, `${config.apiBaseUrl}/file/download/${file.id}`, headers, what, options.signal);
  const { response } = opened;
  let received = 0;
  try {
    if (response.status === 416 && offset === file.size) return offset;
    if (response.status === 200 && offset > 0) {
      truncateSync(partial, 0); // the server ignored Range: start over
      offset = 0;
    } else if (response.status === 206) {
      const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== offset) {
        throw new TransientNetworkError(
          `${what}: asked for bytes ${offset}-, got Content-Range "${response.headers.get('content-range')}"`,
        );
      }
      if (range[2] !== '*' && Number(range[2]) !== file.size) {
        throw new PermanentNetworkError(`${what}: server says the file has ${range[2]} bytes, the listing says ${file.size}`);
      }
    } else if (response.status !== 200) {
      if (response.status === 416) truncateSync(partial, 0);
      throwForStatus(response, what);
    }
    if (!response.body) throw new TransientNetworkError(`${what}: HTTP ${response.status} with no body`);
    const handle = await open(partial, offset > 0 ? 'a' : 'w');
    try {
      for await (const chunk of response.body) {
        opened.touch();
        await handle.write(chunk as Uint8Array);
        received += (chunk as Uint8Array).byteLength;
        options.onProgress?.(offset + received, file.size);
      }
    } finally {
      await handle.close();
    }
    const total = offset + received;
    if (received === 0 && file.size > 0) throw new TransientNetworkError(`${what}: HTTP ${response.status} with a zero-length body`);
    if (total > file.size) {
      truncateSync(partial, 0);
      throw new TransientNetworkError(`${what}: received ${total} bytes, the listing says ${file.size}; starting over`);
    }
    if (total < file.size) throw new TransientNetworkError(`${what}: connection ended at byte ${total} of ${file.size}; will resume`);
    return total;
  } catch (error) {
    await response.body?.cancel().catch(() => undefined);
    const cause = opened.signal.aborted && !options.signal?.aborted ? opened.signal.reason : error;
    throw asNetworkError(cause, `${what} (stopped at byte ${offset + received} of ${file.size})`, options.signal);
  } finally {
    opened.done();
  }
}
