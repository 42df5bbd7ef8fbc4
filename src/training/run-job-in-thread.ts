/**
 * Run a `DecoderJob` in its own worker thread (its own tfjs/wasm instance, so two decoders use both cores:
 * docs/compute.md §2 measured near-linear scaling of independent wasm instances). Its errors come back revived
 * with their class (src/threads/error-transfer.ts), so the retry contract (src/errors/pipeline-errors.ts)
 * survives the thread hop; an exit before answering is a ThreadExitError, a cancel a ThreadCancelledError.
 */
import { moduleBeside } from '../threads/spawn-thread.js';
import { runInThread } from '../threads/thread-pool.js';
import type { DecoderJob, DecoderJobHooks, DecoderJobResult } from './decoder-job.js';
import type { DecoderThreadEvent } from './decoder-thread.js';

const DECODER_THREAD = moduleBeside('./decoder-thread', import.meta.url);

export function runDecoderJobInThread(job: DecoderJob, hooks: DecoderJobHooks): Promise<DecoderJobResult> {
  return runInThread<DecoderJob, DecoderJobResult, DecoderThreadEvent>(DECODER_THREAD, job, {
    name: `decoder:${job.name}`,
    signal: hooks.signal,
    onEvent: (event) => {
      switch (event.type) {
        case 'epoch':
          return hooks.onEpoch(event.report);
        case 'heartbeat':
          return hooks.onHeartbeat(event.info);
        case 'checkpoint-damaged':
          return hooks.onCheckpointDamaged(event.message);
        case 'log':
          return hooks.log(event.line);
      }
    },
  });
}
