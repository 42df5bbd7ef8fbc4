/**
 * Run a `DecoderJob` in its own worker thread (its own tfjs/wasm instance, so two decoders use both cores:
 * shared/notes/compute.md §2 measured near-linear scaling of independent wasm instances). Errors come back with
 * their original class name so the retry contract (src/errors/pipeline-errors.ts) survives the thread hop.
 */
import { ConfigError, DataValidationError, ModelLoadError } from '../errors/pipeline-errors.js';
import type { DecoderJob, DecoderJobHooks, DecoderJobResult } from './decoder-job.js';
import type { ParentMessage, ThreadMessage } from './decoder-thread-protocol.js';
import { spawnTsWorker } from './spawn-ts-worker.js';

const TYPED_ERRORS: Record<string, new (message: string) => Error> = { ConfigError, DataValidationError, ModelLoadError };

function rebuildError(name: string, message: string, stack: string): Error {
  const Typed = TYPED_ERRORS[name];
  const error = Typed ? new Typed(message) : new Error(message);
  if (!Typed) error.name = name;
  error.stack = stack;
  return error;
}

export function runDecoderJobInThread(job: DecoderJob, hooks: DecoderJobHooks): Promise<DecoderJobResult> {
  return new Promise((resolve, reject) => {
    const worker = spawnTsWorker(new URL(`./decoder-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), {
      workerData: job,
    });
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = (): void =>
      worker.postMessage({ type: 'abort', reason: String(hooks.signal?.reason ?? 'aborted') } satisfies ParentMessage);
    if (hooks.signal?.aborted) onAbort();
    else hooks.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ThreadMessage) => {
      switch (message.type) {
        case 'epoch':
          hooks.onEpoch(message.report);
          break;
        case 'heartbeat':
          hooks.onHeartbeat(message.info);
          break;
        case 'log':
          hooks.log(message.line);
          break;
        case 'done':
          settle(() => resolve(message.result));
          break;
        case 'error':
          settle(() => reject(rebuildError(message.name, message.message, message.stack)));
          break;
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`decoder thread "${job.name}" exited with code ${code} before finishing`))));
  });
}
