/**
 * How each HTTP outcome of a Figshare call is treated (docs/datasets.md §C "Download quirks"): 404/410 and other 4xx are
 * permanent; 429/5xx/408 are transient (Retry-After honoured); 401/403 and the AWS WAF 202 challenge are retried
 * (figshare's 403s are often intermittent) but become permanent once retries are used up.
 */
import { PermanentNetworkError, TransientNetworkError } from '../../errors/pipeline-errors.js';
import { parseRetryAfter, RetryAfterError } from './retry.js';

/** Transient now, permanent when it persists through all retries. */
export class RefusedError extends TransientNetworkError {}

/** Throw the typed error for a non-success `response` of the request described by `what`. */
export function throwForStatus(response: Response, what: string): never {
  const status = response.status;
  if (status === 202) {
    const waf = response.headers.get('x-amzn-waf-action');
    throw new RefusedError(`${what}: HTTP 202 with no content${waf ? ` (x-amzn-waf-action: ${waf}, a bot challenge)` : ''}`);
  }
  if (status === 401 || status === 403)
    throw new RefusedError(`${what}: HTTP ${status} (access refused; set FIGSHARE_TOKEN for private items)`);
  if (status === 404 || status === 410) throw new PermanentNetworkError(`${what}: HTTP ${status} (not found, or not public)`);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (status === 429 || status === 408 || status >= 500) {
    const message = `${what}: HTTP ${status}${retryAfterMs !== null ? ` (Retry-After ${Math.round(retryAfterMs / 1000)} s)` : ''}`;
    throw retryAfterMs !== null ? new RetryAfterError(message, retryAfterMs) : new TransientNetworkError(message);
  }
  throw new PermanentNetworkError(`${what}: unexpected HTTP ${status}`);
}

/** What to throw once retries are used up: refusals become permanent, everything else stays transient. */
export function giveUp(last: TransientNetworkError, attempts: number): Error {
  const message = `${last.message} — giving up after ${attempts} attempts`;
  return last instanceof RefusedError
    ? new PermanentNetworkError(message, { cause: last })
    : new TransientNetworkError(message, { cause: last });
}

/** Turn a fetch/stream failure into a TransientNetworkError (keeping typed errors and caller aborts as they are). */
export function asNetworkError(error: unknown, what: string, callerSignal?: AbortSignal): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;
  if (error instanceof TransientNetworkError || error instanceof PermanentNetworkError) return error;
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const detail = err.cause?.code ?? err.cause?.message ?? err.message;
  return new TransientNetworkError(`${what}: ${err.message}${detail && detail !== err.message ? ` (${detail})` : ''}`, { cause: error });
}
