/**
 * Activity: compute one stage (or one shard / the merge step of a sharded stage) and commit its artifact.
 * Thin by design: resolve inputs → run the stage in a compute thread → relay progress as heartbeats → commit.
 * Idempotent: if the key is already committed and intact (e.g. the previous attempt finished but its completion
 * was lost while the server was down) it returns that artifact.
 */
import { rmSync } from 'node:fs';
import { ApplicationFailure, CancelledFailure, Context, activityInfo, heartbeat, log } from '@temporalio/activity';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/errors/pipeline-errors.js';
import { runStageInThread, StageThreadError } from '../src/engine/run-stage-in-thread.js';
import { cacheKey, localProducer, type ArtifactStore } from '../src/store/artifact-store.js';
import { refOf, type ArtifactRef } from '../src/store/artifact-manifest.js';
import type { RunStageRequest, StageHeartbeat } from '../src/contracts/stage-requests.js';
import type { StageRecords } from '../src/store/stage-records.js';
import { keyPartsOf } from './stage-key.js';

/** Heartbeat at least this often while the compute thread works, so a dead worker is noticed quickly. */
const KEEPALIVE_MS = 2_000;

export function createRunStage(store: ArtifactStore, records: StageRecords, dataCacheDir: string) {
  return async function runStage(request: RunStageRequest): Promise<ArtifactRef> {
    const parts = keyPartsOf(request);
    const key = cacheKey(parts);
    if (key !== request.key) {
      throw ApplicationFailure.nonRetryable(
        `stage ${request.stageId}: key ${key} differs from the planned ${request.key}`,
        'KeyMismatchError',
      );
    }
    const info = activityInfo();
    const existing = await store.verify(request.uses, key);
    // A forced recompute that an earlier attempt of this same run already committed is done: keep it.
    const ownCommit = existing.status === 'intact' && existing.manifest.producer.runId === info.workflowExecution?.runId;
    if (existing.status === 'intact' && (!request.force || ownCommit)) return refOf(existing.dir, existing.manifest);
    if (existing.status !== 'missing') store.quarantine(request.uses, key);
    // Forcing also discards checkpoints: they may be exactly what is wrong.
    if (request.force) rmSync(store.partialDir(request.uses, key), { recursive: true, force: true });

    const previous = info.heartbeatDetails as StageHeartbeat | undefined;
    let last: StageHeartbeat = previous ?? { stageId: request.stageId, fraction: 0, message: 'starting' };
    if (request.shard) last.shard = request.shard;
    heartbeat(last);
    const keepalive = setInterval(() => heartbeat(last), KEEPALIVE_MS);

    const staging = store.createStaging(request.uses, key);
    const startedAt = new Date();
    try {
      const result = await runStageInThread(
        {
          kind: request.uses,
          mode: request.merge ? 'merge' : 'run',
          params: request.params,
          seed: request.seed,
          inputDirs: Object.fromEntries(Object.entries(request.inputs).map(([role, ref]) => [role, ref.dir])),
          stagingDir: staging.dir,
          partialDir: store.partialDir(request.uses, key),
          resumeToken: previous?.checkpoint,
          backend: request.backend,
          dataCacheDir,
          shard: request.shard ?? null,
        },
        {
          onProgress: (progress) => {
            // Keep the last checkpoint when a progress report carries none, so a retry still resumes.
            last = { ...last, ...progress, checkpoint: progress.checkpoint ?? last.checkpoint };
            heartbeat(last);
          },
          onLog: (message) => log.info(`[${request.stageId}] ${message}`),
          signal: Context.current().cancellationSignal,
        },
      );
      const { manifest, dir } = await store.commit(staging, {
        keyParts: parts,
        inputs: Object.fromEntries(Object.entries(request.inputs).map(([role, ref]) => [role, { stage: ref.stage, key: ref.key }])),
        summary: result.summary,
        startedAt,
        producer: localProducer({
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
          activityId: info.activityId,
          attempt: info.attempt,
          experiment: request.experiment,
          stageId: request.stageId,
          backend: typeof result.summary['backend'] === 'string' ? result.summary['backend'] : undefined,
        }),
      });
      const recordId = request.shard ? `${request.stageId}.shard-${request.shard.index}` : request.stageId;
      records.remember(request.experiment, recordId, parts);
      return refOf(dir, manifest);
    } catch (error) {
      rmSync(staging.dir, { recursive: true, force: true });
      if (Context.current().cancellationSignal.aborted) throw new CancelledFailure(`stage ${request.stageId} cancelled`);
      throw toApplicationFailure(request.stageId, error);
    } finally {
      clearInterval(keepalive);
    }
  };
}

/** Carry the stage error's class name as the failure type: it decides whether Temporal retries. */
function toApplicationFailure(stageId: string, error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const retryable = err instanceof StageThreadError ? err.retryable : (err as { retryable?: boolean }).retryable;
  const nonRetryable = retryable === false || NON_RETRYABLE_ERROR_TYPES.includes(err.name);
  return ApplicationFailure.create({
    type: err.name,
    message: `stage ${stageId}: ${err.message}`,
    nonRetryable,
    details: err instanceof StageThreadError && err.threadStack ? [err.threadStack] : undefined,
  });
}
