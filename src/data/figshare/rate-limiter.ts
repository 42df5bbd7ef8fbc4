/**
 * Spaces requests at least `1 / requestsPerSecond` apart. Figshare asks clients for "not more than one request per
 * second" (API docs, "API description"; docs/datasets.md §C). Calls queue in order; the wait can be aborted.
 */
import { sleep } from './sleep.js';

export class RateLimiter {
  private next = 0;
  private readonly intervalMs: number;

  constructor(requestsPerSecond: number) {
    if (!(requestsPerSecond > 0)) throw new RangeError(`requestsPerSecond must be > 0, got ${requestsPerSecond}`);
    this.intervalMs = 1000 / requestsPerSecond;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    if (slot > now) await sleep(slot - now, signal);
  }
}
