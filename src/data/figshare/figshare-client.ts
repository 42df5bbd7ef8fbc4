/**
 * Figshare REST API v2 client (docs/datasets.md §C): lists an article's files through the paginated files endpoint (never the
 * "up to 10 files" `files[]` of the article record) and downloads them with `download-file.ts`. The optional token
 * comes only from the environment (`FIGSHARE_TOKEN`), so it can never travel in stage params or workflow payloads.
 */
import { PermanentNetworkError, TransientNetworkError } from '../../errors/pipeline-errors.js';
import { downloadFigshareFile, type DownloadOptions, type DownloadResult } from './download-file.js';
import { assertSafeFileName, publicFileSchema, type FigshareFile } from './figshare-file.js';
import { httpGet, type HttpClientConfig } from './http-client.js';
import { giveUp, throwForStatus } from './http-status.js';
import { RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

export const DEFAULT_API_BASE_URL = 'https://api.figshare.com/v2';
/** Where figshare's API download endpoint redirects: its S3 buckets and ndownloader (docs/datasets.md §B.2, §C). */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = [
  'ndownloader.figshare.com',
  'figshare.com',
  's3-eu-west-1.amazonaws.com',
  's3.eu-west-1.amazonaws.com',
  '*.s3.eu-west-1.amazonaws.com',
  '*.s3-eu-west-1.amazonaws.com',
  '*.s3.amazonaws.com',
];

export interface FigshareClientOptions {
  /** Default: env `PAM_FIGSHARE_API`, else https://api.figshare.com/v2. */
  apiBaseUrl?: string;
  allowedHosts?: readonly string[];
  /** Default 1 (Figshare's request). */
  requestsPerSecond?: number;
  retry?: Partial<RetryPolicy>;
  /** Files per listing page (API maximum 1000). */
  pageSize?: number;
  idleTimeoutMs?: number;
}

export class FigshareClient {
  readonly apiBaseUrl: string;
  private readonly config: HttpClientConfig & { apiBaseUrl: string; retry: RetryPolicy };
  private readonly pageSize: number;

  constructor(options: FigshareClientOptions = {}) {
    this.apiBaseUrl = (options.apiBaseUrl ?? process.env.PAM_FIGSHARE_API ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '');
    this.pageSize = options.pageSize ?? 1000;
    this.config = {
      apiBaseUrl: this.apiBaseUrl,
      apiHost: new URL(this.apiBaseUrl).host,
      allowedHosts: options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS,
      limiter: new RateLimiter(options.requestsPerSecond ?? 1),
      token: process.env.FIGSHARE_TOKEN || null,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
    };
  }

  /** Every file of article `articleId` (of `version` when given), following `page`/`page_size` until a short page. */
  async listFiles(articleId: number, version?: number | null, signal?: AbortSignal): Promise<FigshareFile[]> {
    const base = `${this.apiBaseUrl}/articles/${articleId}${version ? `/versions/${version}` : ''}/files`;
    const what = `figshare article ${articleId}${version ? ` version ${version}` : ''}`;
    const files: FigshareFile[] = [];
    for (let page = 1; ; page++) {
      const url = `${base}?page=${page}&page_size=${this.pageSize}`;
      const batch = await withRetry(this.config.retry, signal, () => this.fetchPage(url, `${what} files page ${page}`, signal), giveUp);
      files.push(...batch);
      if (batch.length < this.pageSize) return files;
    }
  }

  private async fetchPage(url: string, what: string, signal?: AbortSignal): Promise<FigshareFile[]> {
    const opened = await httpGet(this.config, url, { accept: 'application/json' }, what, signal);
    try {
      if (opened.response.status !== 200) throwForStatus(opened.response, what);
      let body: unknown;
      try {
        body = await opened.response.json();
      } catch (cause) {
        throw new TransientNetworkError(`${what}: response is not JSON`, { cause });
      }
      if (!Array.isArray(body)) throw new PermanentNetworkError(`${what}: expected a JSON array of files`);
      return body.map((item, i) => {
        const parsed = publicFileSchema.safeParse(item);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new PermanentNetworkError(`${what}: item ${i}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
        }
        assertSafeFileName(parsed.data.name, `${what}: item ${i}`);
        return parsed.data;
      });
    } finally {
      opened.done();
    }
  }

  /** Download `file` into `destDir/<name>` (see `download-file.ts`). */
  downloadFile(file: FigshareFile, destDir: string, options?: DownloadOptions): Promise<DownloadResult> {
    return downloadFigshareFile(this.config, file, destDir, options);
  }
}
