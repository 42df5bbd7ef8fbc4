/** Run a stage in a fresh worker thread, relaying progress and logs, and re-raising its error with its name. */
import { Worker } from 'node:worker_threads';
import type { StageProgress, StageResult } from '../stages/stage-definition.js';
import type { MainToThread, ThreadJob, ThreadToMain } from './thread-protocol.js';

/** An error raised inside the compute thread, carrying the original class name (the retry contract). */
export class StageThreadError extends Error {
  constructor(
    readonly originalName: string,
    message: string,
    readonly retryable: boolean | undefined,
    readonly threadStack?: string,
  ) {
    super(message);
    this.name = originalName;
  }
}

export interface ThreadHooks {
  onProgress(progress: StageProgress): void;
  onLog(message: string): void;
  signal?: AbortSignal;
}

/** Grace period between asking a stage to stop and terminating its thread. */
const ABORT_GRACE_MS = 5_000;

export function runStageInThread(job: ThreadJob, hooks: ThreadHooks): Promise<StageResult> {
  return new Promise<StageResult>((resolve, reject) => {
    const worker = new Worker(new URL('./compute-thread-entry.mjs', import.meta.url), { workerData: job });
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = (): void => {
      worker.postMessage({ type: 'abort' } satisfies MainToThread);
      setTimeout(() => finish(() => reject(new StageThreadError('CancelledError', 'stage cancelled', false))), ABORT_GRACE_MS).unref();
    };
    if (hooks.signal?.aborted) onAbort();
    else hooks.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: ThreadToMain) => {
      switch (message.type) {
        case 'progress':
          hooks.onProgress(message.progress);
          break;
        case 'log':
          hooks.onLog(message.message);
          break;
        case 'done':
          finish(() => resolve(message.result));
          break;
        case 'error':
          finish(() => reject(new StageThreadError(message.name, message.message, message.retryable, message.stack)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => {
      finish(() => reject(new StageThreadError('ComputeThreadExit', `compute thread exited with code ${code} before finishing`, true)));
    });
  });
}
