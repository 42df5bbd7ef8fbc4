/**
 * Entry point of the worker thread that runs one stage. Heavy compute (tfjs, linear algebra, hashing of
 * tensors) happens here, so the Temporal worker's event loop stays free to heartbeat and complete workflow tasks
 * (shared/notes/temporal.md §5: activities otherwise run on the main thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stageCatalog } from '../stages/catalog.js';
import { openArtifactInput } from '../store/artifact-input.js';
import { StagingArtifact } from '../store/artifact-store.js';
import type { StageContext } from '../stages/stage-definition.js';
import type { MainToThread, ThreadJob, ThreadToMain } from './thread-protocol.js';

const job = workerData as ThreadJob;
const port = parentPort!;
const abort = new AbortController();
const send = (message: ThreadToMain): void => port.postMessage(message);

port.on('message', (message: MainToThread) => {
  if (message.type === 'abort') abort.abort(new Error('stage cancelled'));
});

async function main(): Promise<void> {
  const spec = stageCatalog.get(job.kind);
  if (!spec) throw new Error(`unknown stage kind "${job.kind}"`);
  const runner = await spec.loadRunner();
  const inputs = Object.fromEntries(Object.entries(job.inputDirs).map(([role, dir]) => [role, openArtifactInput(dir)]));
  const ctx: StageContext<unknown> = {
    params: job.params,
    seed: job.seed,
    inputs,
    output: new StagingArtifact(job.stagingDir),
    partialDir: job.partialDir,
    resumeToken: job.resumeToken,
    backend: job.backend,
    dataCacheDir: job.dataCacheDir,
    progress: (progress) => send({ type: 'progress', progress }),
    log: (message) => send({ type: 'log', message }),
    signal: abort.signal,
    shard: job.shard,
  };
  if (job.mode === 'merge') {
    if (!runner.merge) throw new Error(`stage ${job.kind} is sharded but its runner has no merge()`);
    send({ type: 'done', result: await runner.merge(ctx) });
  } else {
    send({ type: 'done', result: await runner.run(ctx) });
  }
}

main().catch((error: unknown) => {
  const err = error instanceof Error ? error : new Error(String(error));
  const retryable = (err as { retryable?: unknown }).retryable;
  send({
    type: 'error',
    name: err.name,
    message: err.message,
    stack: err.stack,
    retryable: typeof retryable === 'boolean' ? retryable : undefined,
  });
});
