/**
 * Run a stage in a fresh worker thread (src/threads/thread-pool.ts `runInThread`), relaying progress and logs. A
 * stage error rejects as the error revived from the thread (src/threads/error-transfer.ts): our typed errors as
 * their class, any other as an Error named after its class, with `retryable`, `cause` and the thread's `stack`.
 * A thread that exits before answering rejects with ThreadExitError, a cancelled one with ThreadCancelledError.
 */
import type { StageProgress, StageResult } from '../stages/stage-definition.js';
import { moduleBeside } from '../threads/spawn-thread.js';
import { runInThread } from '../threads/thread-pool.js';
import type { StageThreadEvent, ThreadJob } from './stage-thread-protocol.js';

export interface ThreadHooks {
  onProgress(progress: StageProgress): void;
  onLog(message: string): void;
  signal?: AbortSignal;
}

const COMPUTE_THREAD = moduleBeside('./compute-thread', import.meta.url);

export function runStageInThread(job: ThreadJob, hooks: ThreadHooks): Promise<StageResult> {
  return runInThread<ThreadJob, StageResult, StageThreadEvent>(COMPUTE_THREAD, job, {
    name: `stage:${job.kind}`,
    signal: hooks.signal,
    onEvent: (event) => (event.type === 'progress' ? hooks.onProgress(event.progress) : hooks.onLog(event.message)),
  });
}
