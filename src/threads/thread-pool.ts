/**
 * Run tasks on worker threads: a pool of N threads (results in task order, optional largest-first dispatch) and
 * the one-shot case of one thread and one task. One set of rules for every use:
 * - a thread's error is revived with its class (src/threads/error-transfer.ts);
 * - cancel = abort message to the busy threads → grace period → terminate → ThreadCancelledError;
 * - a thread that exits (any code, 0 included) or crashes before answering → ThreadExitError naming thread and task;
 * - the first failure settles the run; every thread has been terminated when the promise settles, so none is
 *   still writing checkpoints when a retry starts.
 * Not piscina: its workers run a plain function per task with no stream of typed events back to the caller, and
 * starting a `.ts` module needs the tsx bootstrap of src/threads/spawn-thread.ts in every thread.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { TransferListItem, Worker } from 'node:worker_threads';
import { ThreadCancelledError, ThreadExitError } from '../errors/pipeline-errors.js';
import { reviveError, serializeError } from './error-transfer.js';
import { spawnThread } from './spawn-thread.js';
import type { FromThread, ToThread } from './thread-protocol.js';

export interface PoolOptions<I, O, E> {
  threads: number;
  /** Names the threads in errors and PAM_THREAD_FAULT (src/threads/thread-faults.ts); default: the module's file name. */
  name?: string;
  /** Names a task in errors; default `task <i> of <n>`. */
  taskLabel?: (task: I, index: number) => string;
  /** Dispatch largest-first (LPT scheduling), so the biggest task never starts last and leaves a core idle. */
  cost?: (task: I) => number;
  /** Buffers moved, not copied, into the thread with the task. */
  transfer?: (task: I) => TransferListItem[];
  onResult?: (index: number, result: O) => void;
  /**
   * false: each result goes to `onResult` only and the returned array stays empty, so a caller that keeps part of
   * each result does not hold all of them at once (an area's mappers are hundreds of MB at GOD scale). Default true.
   */
  keepResults?: boolean;
  onEvent?: (index: number, event: E) => void;
  signal?: AbortSignal;
  /** Between asking the threads to stop and terminating them (default 5 s). */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 5_000;

/** Thread count: one per core, never more than there are tasks. */
export function defaultThreads(tasks: number): number {
  return Math.max(1, Math.min(tasks, availableParallelism()));
}

interface Lane {
  worker: Worker;
  label: string;
  /** Index of the task in flight, null while idle. */
  task: number | null;
  gone: boolean;
}

const reasonText = (reason: unknown): string => (reason instanceof Error ? reason.message : String(reason));

export function runInWorkers<I, O, E = never>(module: URL, tasks: readonly I[], options: PoolOptions<I, O, E>): Promise<O[]> {
  const name = options.name ?? basename(module.pathname).replace(/\.[^.]+$/, '');
  const results = new Array<O>(tasks.length);
  const { signal } = options;
  const cancelled = (): ThreadCancelledError =>
    new ThreadCancelledError(`thread ${name} cancelled: ${reasonText(signal?.reason)}`, { cause: signal?.reason });
  if (signal?.aborted) return Promise.reject(cancelled());
  if (tasks.length === 0) return Promise.resolve(results);

  const queue = tasks.map((_, i) => i);
  const { cost } = options;
  if (cost) queue.sort((a, b) => cost(tasks[b]!) - cost(tasks[a]!));
  const taskLabel = (index: number): string => options.taskLabel?.(tasks[index]!, index) ?? `task ${index + 1} of ${tasks.length}`;
  const count = Math.max(1, Math.min(options.threads, tasks.length));

  return new Promise<O[]>((resolve, reject) => {
    const lanes: Lane[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    let stopping = false;
    let grace: NodeJS.Timeout | undefined;

    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      void Promise.allSettled(lanes.map((lane) => lane.worker.terminate())).then(() => (error ? reject(error) : resolve(results)));
    };
    /** While cancelling, settle once no thread is still busy. */
    const settleIfIdle = (): void => {
      if (lanes.every((lane) => lane.task === null || lane.gone)) settle(cancelled());
    };
    const dispatch = (lane: Lane): void => {
      if (next >= queue.length) return;
      const task = queue[next++]!;
      lane.task = task;
      lane.worker.postMessage({ type: 'task', task, input: tasks[task] } satisfies ToThread, options.transfer?.(tasks[task]!) ?? []);
    };
    /** A parent callback that throws fails the run instead of escaping as an uncaught exception. */
    const guarded = (callback: () => void): void => {
      try {
        callback();
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onMessage = (lane: Lane, message: FromThread): void => {
      if (settled) return;
      if (message.type === 'event') {
        guarded(() => options.onEvent?.(message.task, message.event as E));
        return;
      }
      lane.task = null;
      if (message.type === 'error' && !stopping) {
        settle(reviveError(message.error));
        return;
      }
      if (message.type === 'result') {
        if (options.keepResults !== false) results[message.task] = message.result as O;
        done++;
        guarded(() => options.onResult?.(message.task, message.result as O));
      }
      if (settled) return;
      if (stopping) settleIfIdle();
      else if (done === tasks.length) settle();
      else dispatch(lane);
    };
    const onGone = (lane: Lane, what: string, cause?: unknown): void => {
      if (settled || lane.gone) return;
      lane.gone = true;
      if (stopping) {
        settleIfIdle();
        return;
      }
      const where = lane.task === null ? 'between tasks' : `before answering ${taskLabel(lane.task)}`;
      settle(new ThreadExitError(`thread ${lane.label} ${what} ${where}`, cause === undefined ? undefined : { cause }));
    };
    // A thread that exits idle is harmless (it has answered everything it was given); only a busy one fails the run.
    const onExit = (lane: Lane, code: number): void => {
      if (lane.task !== null || stopping) onGone(lane, `exited with code ${code}`);
    };
    const onAbort = (): void => {
      if (settled || stopping) return;
      stopping = true;
      const reason = serializeError(signal?.reason);
      for (const lane of lanes) {
        if (lane.task !== null && !lane.gone) lane.worker.postMessage({ type: 'abort', task: lane.task, reason } satisfies ToThread);
      }
      grace = setTimeout(() => settle(cancelled()), options.graceMs ?? DEFAULT_GRACE_MS);
      settleIfIdle();
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < count; i++) {
      const lane: Lane = { worker: spawnThread(module, name), label: count > 1 ? `${name}#${i + 1}` : name, task: null, gone: false };
      lanes.push(lane);
      lane.worker.on('message', (message: FromThread) => onMessage(lane, message));
      // An uncaught exception in the thread; its 'exit' follows.
      lane.worker.on('error', (error: unknown) => onGone(lane, `crashed (${reasonText(error)})`, error));
      lane.worker.on('exit', (code) => onExit(lane, code));
      dispatch(lane);
    }
  });
}

/** One task on one fresh thread (the engine's stage thread, a decoder's thread). */
export async function runInThread<I, O, E = never>(
  module: URL,
  input: I,
  options: Pick<PoolOptions<I, O, E>, 'name' | 'signal' | 'graceMs'> & { onEvent?: (event: E) => void },
): Promise<O> {
  const { onEvent, ...rest } = options;
  const [result] = await runInWorkers<I, O, E>(module, [input], {
    ...rest,
    threads: 1,
    taskLabel: () => 'its task',
    ...(onEvent ? { onEvent: (_: number, event: E) => onEvent(event) } : {}),
  });
  return result as O;
}
