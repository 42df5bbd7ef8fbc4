/**
 * The entry of every worker thread (started by src/threads/spawn-thread.ts): imports the module named in
 * `workerData`, then runs each task message through its exported `thread` body and answers with the result or
 * the serialized error (src/threads/error-transfer.ts). A parent sends a thread one task at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { reviveError, serializeError } from './error-transfer.js';
import { injectFault } from './thread-faults.js';
import type { FromThread, ResultTransfer, ThreadBody, ThreadStart, ToThread } from './thread-protocol.js';

const port = parentPort!;
const start = workerData as ThreadStart;
const send = (message: FromThread): void => port.postMessage(message);
const running = new Map<number, AbortController>();

interface ThreadModule {
  thread: ThreadBody<unknown, unknown, unknown>;
  transferResult?: ResultTransfer<unknown>;
}

// A module that fails to load fails every task with its own error (a syntax or config error, not a thread exit).
const body: Promise<ThreadModule> = import(start.module).then((module: { thread?: unknown; transferResult?: unknown }) => {
  if (typeof module.thread !== 'function') throw new TypeError(`${start.module} exports no \`thread\` function`);
  if (module.transferResult !== undefined && typeof module.transferResult !== 'function')
    throw new TypeError(`${start.module}: \`transferResult\` is not a function`);
  return module as ThreadModule;
});
body.catch(() => undefined); // Reported per task below; without this, a load failure before the first task would crash the thread.

async function run(task: number, input: unknown): Promise<void> {
  const abort = new AbortController();
  running.set(task, abort);
  try {
    injectFault(start.name);
    const { thread, transferResult } = await body;
    const result = await thread(input, { send: (event) => send({ type: 'event', task, event }), signal: abort.signal });
    port.postMessage({ type: 'result', task, result } satisfies FromThread, transferResult?.(result) ?? []);
  } catch (error) {
    send({ type: 'error', task, error: serializeError(error) });
  } finally {
    running.delete(task);
  }
}

port.on('message', (message: ToThread) => {
  if (message.type === 'task') void run(message.task, message.input);
  else running.get(message.task)?.abort(reviveError(message.reason));
});
