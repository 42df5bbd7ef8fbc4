/**
 * The thread body that runs one stage (started by run-stage-in-thread.ts through src/threads/). Heavy compute
 * (tfjs, linear algebra, hashing of tensors) happens here, so the Temporal worker's event loop stays free to
 * heartbeat and complete workflow tasks (docs/temporal.md §5: activities otherwise run on the main thread).
 */
import { stageCatalog } from '../stages/catalog.js';
import { openArtifactInput } from '../store/artifact-input.js';
import { StagingArtifact } from '../store/artifact-store.js';
import type { StageContext, StageResult } from '../stages/stage-definition.js';
import type { ThreadBody } from '../threads/thread-protocol.js';
import type { StageThreadEvent, ThreadJob } from './stage-thread-protocol.js';

export const thread: ThreadBody<ThreadJob, StageThreadEvent, StageResult> = async (job, { send, signal }) => {
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
    signal,
    shard: job.shard,
  };
  if (job.mode === 'run') return runner.run(ctx);
  if (!runner.merge) throw new Error(`stage ${job.kind} is sharded but its runner has no merge()`);
  return runner.merge(ctx);
};
