/**
 * While `pam run --external-workers` waits on workers it does not start: within a few seconds, one line per task
 * queue of the experiment saying which workers poll it, or that none does and which `pam worker` would; then a
 * line when a queue that had none gets one. A queue nobody polls would otherwise leave the run waiting in silence.
 */
import type { Client } from '@temporalio/client';
import { queuePollers } from '../temporal/queue-pollers.js';
import { DEFAULT_QUEUE, TASK_QUEUE } from '../temporal/task-queue.js';

const FIRST_LOOK_MS = 3000;
const LOOK_AGAIN_MS = 10_000;

/**
 * Starts watching `queues` (config queue → Temporal task queue). The returned function stops it and resolves once
 * no look is in flight: the connection must not close under one. A call that met a restarting server waits in the
 * Temporal client's gRPC retry (`@temporalio/client` grpc-retry.ts: a `setTimeout` that starts the next attempt),
 * and an attempt started on a closed channel throws from that timer, uncaught, ending the process after a run
 * that completed (seen in the fault suite's `server-kills` scenario).
 */
export function watchQueues(client: Client, queues: Readonly<Record<string, string>>, say: (line: string) => void): () => Promise<void> {
  const all = { [DEFAULT_QUEUE]: TASK_QUEUE, ...queues };
  const unpolled = new Set<string>();
  let first = true;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const look = async (): Promise<void> => {
    for (const [queue, taskQueue] of Object.entries(all)) {
      // The default queue also runs the workflow itself, which any worker without --queue serves.
      const pollers = await queuePollers(client, taskQueue, taskQueue === TASK_QUEUE ? 'workflow' : 'activity').catch(() => null);
      if (pollers === null) continue;
      const hint = queue === DEFAULT_QUEUE ? '`pam worker`' : `\`pam worker --queue ${queue}\``;
      if (pollers.length === 0 && (first || !unpolled.has(queue))) {
        say(`no worker polls queue ${queue} (task queue ${taskQueue}): its stages wait until one runs ${hint}`);
        unpolled.add(queue);
      } else if (pollers.length > 0 && (first || unpolled.has(queue))) {
        say(`queue ${queue} (task queue ${taskQueue}) is polled by ${pollers.join(', ')}`);
        unpolled.delete(queue);
      }
    }
    first = false;
  };
  const loop = (ms: number): void => {
    timer = setTimeout(() => {
      inFlight = look().finally(() => {
        if (!stopped) loop(LOOK_AGAIN_MS);
      });
    }, ms);
    timer.unref();
  };
  loop(FIRST_LOOK_MS);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await inFlight;
  };
}
