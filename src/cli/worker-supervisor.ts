/**
 * Keeps the CLI's in-process worker serving while `pam run` / `pam retry` follow an experiment. The SDK's Worker
 * rides out a server outage by itself: core retries task polls for ever on UNAVAILABLE (sdk-core
 * `crates/client/src/retry.rs`, test `long_poll_retryable_errors_never_fatal`), and a failed heartbeat or
 * completion is only a warning, after which the server's heartbeat timeout retries the activity. But it shuts down
 * for good on a fatal error, e.g. a non-retryable poll error lasting past core's 60 s `LONG_POLL_FATAL_GRACE`;
 * the CLI would then follow an experiment no worker serves. So a worker that ends while still wanted is replaced
 * by a fresh one, created again every few seconds while the server is still away.
 */

/** What is used of `@temporalio/worker` `Worker`. */
export interface RunnableWorker {
  run(): Promise<void>;
  shutdown(): void;
  getState(): string;
}

export interface SupervisedWorker {
  stop(): Promise<void>;
}

export function superviseWorker(
  first: RunnableWorker,
  create: () => Promise<RunnableWorker>,
  say: (line: string) => void,
  retryMs = 5000,
): SupervisedWorker {
  let current = first;
  let stopping = false;
  let wake: () => void = () => {};
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const serve = async (): Promise<void> => {
    for (;;) {
      const running = current.run();
      // A worker created while stop() was under way is let go at once (run() makes it RUNNING synchronously).
      if (stopping && current.getState() === 'RUNNING') current.shutdown();
      const ended = await running.then(
        () => 'ended',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      if (stopping) return;
      say(`in-process worker stopped (${ended}); starting a new one`);
      for (;;) {
        await pause();
        if (stopping) return;
        const next = await create().catch(() => undefined); // the server may still be away: try again
        if (next) {
          current = next;
          break;
        }
      }
    }
  };
  const serving = serve();

  return {
    async stop() {
      stopping = true;
      wake();
      if (current.getState() === 'RUNNING') current.shutdown();
      await serving;
    },
  };
}
