/**
 * The one protocol between a parent (src/threads/thread-pool.ts) and its worker threads (src/threads/thread-entry.ts).
 * A thread module exports `thread: ThreadBody<Input, Event, Output>`; it never touches the message port itself.
 */
import type { SerializedError } from './error-transfer.js';

/** What a thread body gets besides its input. */
export interface ThreadContext<E> {
  /** Post a typed progress event to the parent's `onEvent`. */
  send(event: E): void;
  /** Aborted when the parent cancels; the thread is terminated a grace period later. */
  readonly signal: AbortSignal;
}

export type ThreadBody<I, E, O> = (input: I, context: ThreadContext<E>) => O | Promise<O>;

/**
 * Optionally exported beside `thread` as `transferResult`: the buffers of a result to move to the parent instead of
 * copying them (postMessage's transfer list), for results of hundreds of MB.
 */
export type ResultTransfer<O> = (result: O) => ArrayBuffer[];

/** `workerData` of every thread. */
export interface ThreadStart {
  /** URL of the module that exports `thread`. */
  module: string;
  /** Names the thread in errors and selects PAM_THREAD_FAULT entries (src/threads/thread-faults.ts). */
  name: string;
}

export type ToThread = { type: 'task'; task: number; input: unknown } | { type: 'abort'; task: number; reason: SerializedError };

export type FromThread =
  | { type: 'event'; task: number; event: unknown }
  | { type: 'result'; task: number; result: unknown }
  | { type: 'error'; task: number; error: SerializedError };
