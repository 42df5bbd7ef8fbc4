/**
 * Riding out a Temporal server outage while `pam run` / `pam retry` follow an experiment. The workflow's state
 * is durable on the server (SQLite for the embedded one), so an outage of any length only pauses the view: each
 * call that fails because the server is unreachable (`isServerUnreachable`) is tried again every few seconds,
 * with one line when the outage is first seen and one when the server answers again. The client's own gRPC retry
 * (10 attempts, about 15 s; client `grpc-retry.ts` `defaultGrpcRetryOptions`) bridges only short outages.
 */
import { isServerUnreachable } from '../temporal/connection.js';

const RETRY_INTERVAL_MS = 2000;

export class OutageWatch {
  private downSince: Date | undefined;

  /** `hint` ends the outage line: what the user can do (e.g. restart the embedded server). */
  constructor(
    private readonly say: (line: string) => void,
    private readonly hint = '',
  ) {}

  /** `call()`'s value once the server answers; any error other than an unreachable server is thrown. */
  async call<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      const startedAt = new Date();
      try {
        const value = await call();
        this.answered();
        return value;
      } catch (error) {
        if (!isServerUnreachable(error)) throw error;
        if (!this.downSince) {
          this.downSince = startedAt;
          this.say(`server unreachable since ${startedAt.toTimeString().slice(0, 8)}, retrying${this.hint}`);
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
      }
    }
  }

  private answered(): void {
    if (!this.downSince) return;
    this.say(`server back after ${Math.round((Date.now() - this.downSince.getTime()) / 1000)} s`);
    this.downSince = undefined;
  }
}
