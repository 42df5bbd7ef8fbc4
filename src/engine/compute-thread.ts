/**
 * The thread body that runs one stage (started by run-stage-in-thread.ts through src/threads/). Heavy compute
 * (tfjs, linear algebra, hashing of tensors) happens here, so the Temporal worker's event loop stays free to
 * heartbeat and complete workflow tasks (docs/temporal.md §5: activities otherwise run on the main thread).
 */
import { ConfigError } from '../errors/pipeline-errors.js';
import { stageCatalog } from '../stages/catalog.js';
import { openArtifactInput } from '../store/artifact-input.js';
import { StagingArtifact } from '../store/artifact-store.js';
import type { StageContext, StageResult } from '../stages/stage-definition.js';
import type { ThreadBody } from '../threads/thread-protocol.js';
import type { StageThreadEvent, ThreadJob } from './stage-thread-protocol.js';

export const thread: ThreadBody<ThreadJob, StageThreadEvent, StageResult> = async (job, { send, signal }) => {
  const spec = stageCatalog.get(job.kind);
  // Never retried: this worker's catalog lacks the kind, so any attempt on it fails the same way.
  if (!spec) throw new ConfigError(`unknown stage kind "${job.kind}" (this worker knows ${[...stageCatalog.keys()].join(', ')})`);
  const runner = await spec.loadRunner();
  const inputs = Object.fromEntries(
    Object.entries(job.inputDirs).map(([role, dir]) => [role, openArtifactInput(dir, { consumer: job.kind, role })]),
  );
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
