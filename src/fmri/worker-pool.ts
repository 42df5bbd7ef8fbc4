/**
 * Runs independent tasks (one per area) on worker threads, at most `threads` at a time, results in task order.
 * Why: the per-area work is float64 JavaScript that V8 runs at ~2 GFLOP/s on one core; areas are independent,
 * so two workers use both cores of the target machine (the numpy reference gets both through OpenBLAS threads).
 * The worker module receives one task per message and answers `{ result }` or `{ error: { name, message } }`; a
 * failure is re-thrown here with its original error name (so typed pipeline errors keep their retry semantics).
 */
import { availableParallelism } from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { ConfigError, DataValidationError, ModelLoadError } from '../errors/pipeline-errors.js';

export interface WorkerReply<O> {
  result?: O;
  error?: { name: string; message: string };
}

const TYPED: Record<string, new (message: string) => Error> = { ConfigError, DataValidationError, ModelLoadError };

function revive(error: { name: string; message: string }): Error {
  const Type = TYPED[error.name];
  if (Type) return new Type(error.message);
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}

/**
 * A TypeScript worker module (running from source under tsx) needs tsx's loader inside the new thread: Node 20
 * does not carry module-customisation hooks into workers, so the thread registers them (tsx `esm/api`
 * `register`) before importing the module. Compiled `.js` modules start directly.
 */
function startWorker(workerModule: URL): Worker {
  if (!workerModule.pathname.endsWith('.ts')) return new Worker(workerModule);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(workerModule.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** Worker count: one per core, never more than there are tasks. */
export function defaultThreads(tasks: number): number {
  return Math.max(1, Math.min(tasks, availableParallelism()));
}

/**
 * `cost` (optional) orders dispatch largest-first (LPT scheduling), so the biggest area never starts last and
 * leaves one core idle; results still come back in task order.
 */
export async function runInWorkers<I, O>(
  workerModule: URL,
  tasks: readonly I[],
  options: {
    threads: number;
    cost?: (task: I) => number;
    transfer?: (task: I) => TransferListItem[];
    onResult?: (index: number, result: O) => void;
  },
): Promise<O[]> {
  const results = new Array<O>(tasks.length);
  const queue = tasks.map((_, i) => i);
  if (options.cost) queue.sort((a, b) => options.cost!(tasks[b]!) - options.cost!(tasks[a]!));
  let next = 0;
  const workers: Worker[] = [];
  const lane = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      let current = -1;
      const dispatch = () => {
        if (next >= queue.length) return resolve();
        current = queue[next++]!;
        worker.postMessage(tasks[current], options.transfer?.(tasks[current]!) ?? []);
      };
      worker.on('message', (reply: WorkerReply<O>) => {
        if (reply.error) return reject(revive(reply.error));
        results[current] = reply.result as O;
        options.onResult?.(current, reply.result as O);
        dispatch();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error(`area worker exited with code ${code}`)));
      dispatch();
    });
  try {
    const lanes = Array.from({ length: Math.min(options.threads, tasks.length) }, () => {
      const worker = startWorker(workerModule);
      workers.push(worker);
      return lane(worker);
    });
    await Promise.all(lanes);
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
