/**
 * One HTTP GET against Figshare with redirects followed by hand (`redirect: 'manual'`), so that (1) every hop's host
 * is checked against an allow-list and (2) the `Authorization` header goes only to the API host — S3 rejects a
 * forwarded figshare token with "Unsupported Authorization Type" (CenterForOpenScience/waterbutler PR #391).
 * Every request waits for the rate limiter. The token is never put into messages.
 */
import { PermanentNetworkError, TransientNetworkError } from '../../errors/pipeline-errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { asNetworkError } from './http-status.js';

const MAX_REDIRECTS = 5;

export interface HttpClientConfig {
  /** Host (`host[:port]`) of the API; the only one that receives the token. */
  apiHost: string;
  /** Hosts a redirect may lead to; `*.example.com` matches any subdomain. */
  allowedHosts: readonly string[];
  limiter: RateLimiter;
  token: string | null;
  /** Abort a response whose body sends nothing for this long. */
  idleTimeoutMs: number;
}

/** An open response plus the idle watchdog that the body reader must `touch()` on each chunk and `done()` at the end. */
export interface OpenResponse {
  response: Response;
  finalUrl: URL;
  touch(): void;
  done(): void;
  /** Combined caller + idle-timeout signal, for reading the body. */
  signal: AbortSignal;
}

export function hostAllowed(host: string, config: Pick<HttpClientConfig, 'apiHost' | 'allowedHosts'>): boolean {
  if (host === config.apiHost) return true;
  return config.allowedHosts.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
}

export async function httpGet(
  config: HttpClientConfig,
  url: string,
  headers: Record<string, string>,
  what: string,
  signal?: AbortSignal,
): Promise<OpenResponse> {
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => idle.abort(new TransientNetworkError(`${what}: no data for ${config.idleTimeoutMs} ms`)),
      config.idleTimeoutMs,
    );
  };
  const done = () => clearTimeout(timer);
  const combined = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  let current = new URL(url);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!hostAllowed(current.host, config)) {
        throw new PermanentNetworkError(
          `${what}: redirected to host "${current.host}", which is not in the allowed hosts (${config.allowedHosts.join(', ')})`,
        );
      }
      await config.limiter.acquire(signal);
      const hopHeaders = { ...headers };
      if (hop === 0 && config.token && current.host === config.apiHost) hopHeaders.authorization = `token ${config.token}`;
      touch();
      const response = await fetch(current, { headers: hopHeaders, redirect: 'manual', signal: combined });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        continue;
      }
      return { response, finalUrl: current, touch, done, signal: combined };
    }
    throw new PermanentNetworkError(`${what}: more than ${MAX_REDIRECTS} redirects`);
  } catch (error) {
    done();
    throw asNetworkError(idle.signal.aborted ? idle.signal.reason : error, what, signal);
  }
}
