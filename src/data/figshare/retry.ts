/**
 * Retry with capped exponential backoff and "full jitter" (delay = random(0, min(cap, base·2^attempt)); AWS
 * Architecture Blog, "Exponential Backoff And Jitter", 2015). Only TransientNetworkError is retried; a server's
 * Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) replaces the computed delay.
 */
import { TransientNetworkError } from '../../errors/pipeline-errors.js';
import { sleep } from './sleep.js';

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Longest server-requested wait we accept before retrying anyway. */
const MAX_RETRY_AFTER_MS = 300_000;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** A transient failure that carries the server's requested wait. */
export class RetryAfterError extends TransientNetworkError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** Parse a Retry-After header value into milliseconds (null when absent or unparsable). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Run `attempt(n)` until it succeeds, throws a non-transient error, or uses up `policy.maxAttempts`; then the last
 * transient error is passed to `onGiveUp`, which decides what to throw.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (n: number) => Promise<T>,
  onGiveUp: (last: TransientNetworkError, attempts: number) => Error = (last) => last,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof TransientNetworkError) || signal?.aborted) throw error;
      if (n >= policy.maxAttempts) throw onGiveUp(error, n);
      const backoff = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      await sleep(error instanceof RetryAfterError ? Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS) : backoff, signal);
    }
  }
}
