/**
 * Compute one stage (or one shard / the merge step of a sharded stage) and commit its artifact: check the key
 * against the planned one → run the stage in a compute thread → relay progress as heartbeats → commit.
 * Idempotent: if the key is already committed and intact (e.g. the previous attempt finished but its completion
 * was lost while the server was down) it returns that artifact.
 */
import { rmSync } from 'node:fs';
import type { RunStageRequest, StageHeartbeat } from '../contracts/stage-requests.js';
import { KeyMismatchError } from '../errors/pipeline-errors.js';
import { refOf, type ArtifactRef } from '../store/artifact-manifest.js';
import { cacheKey, localProducer } from '../store/artifact-store.js';
import type { StageProgress } from '../stages/stage-definition.js';
import { runStageInThread } from './run-stage-in-thread.js';
import { StageCancelledError } from './stage-failure.js';
import { keyPartsOf, recordIdOf } from './stage-key-parts.js';
import type { EngineDeps, StagePorts } from './stage-ports.js';

/** Heartbeat at least this often while the compute thread works, so a dead worker is noticed quickly. */
const KEEPALIVE_MS = 2_000;

export async function executeStage(
  { store, records, dataCacheDir }: EngineDeps,
  request: RunStageRequest,
  ports: StagePorts,
): Promise<ArtifactRef> {
  const parts = keyPartsOf(request);
  const key = cacheKey(parts);
  if (key !== request.key) throw new KeyMismatchError(`key ${key} differs from the planned ${request.key}`);
  const { attemptInfo } = ports;
  const existing = await store.verify(request.uses, key);
  // A forced recompute that an earlier attempt of this same run already committed is done: keep it.
  const ownCommit = existing.status === 'intact' && existing.manifest.producer.runId === attemptInfo.runId;
  if (existing.status === 'intact' && (!request.force || ownCommit)) return refOf(existing.dir, existing.manifest);
  if (existing.status !== 'missing') store.quarantine(request.uses, key);
  // Forcing also discards checkpoints: they may be exactly what is wrong.
  if (request.force) rmSync(store.partialDir(request.uses, key), { recursive: true, force: true });

  const previous = ports.previousHeartbeat;
  const heartbeats = startHeartbeats(ports, previous ?? { stageId: request.stageId, fraction: 0, message: 'starting' }, request.shard);
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
        onProgress: heartbeats.report,
        onLog: (message) => ports.log.info(`[${request.stageId}] ${message}`),
        signal: ports.cancellationSignal,
      },
    );
    const { manifest, dir } = await store.commit(staging, {
      keyParts: parts,
      inputs: Object.fromEntries(Object.entries(request.inputs).map(([role, ref]) => [role, { stage: ref.stage, key: ref.key }])),
      summary: result.summary,
      startedAt,
      producer: localProducer({
        ...attemptInfo,
        experiment: request.experiment,
        stageId: request.stageId,
        backend: typeof result.summary['backend'] === 'string' ? result.summary['backend'] : undefined,
      }),
    });
    records.remember(request.experiment, recordIdOf(request), parts);
    return refOf(dir, manifest);
  } catch (error) {
    rmSync(staging.dir, { recursive: true, force: true });
    throw ports.cancellationSignal.aborted ? new StageCancelledError(request.stageId, { cause: error }) : error;
  } finally {
    heartbeats.stop();
  }
}

/**
 * Heartbeats of one attempt, starting from `first` (the previous attempt's last one on a retry): one now, one per
 * progress report, and a keep-alive every KEEPALIVE_MS in between.
 */
function startHeartbeats(ports: StagePorts, first: StageHeartbeat, shard: RunStageRequest['shard']) {
  let last = first;
  if (shard) last.shard = shard;
  ports.heartbeat(last);
  const keepalive = setInterval(() => ports.heartbeat(last), KEEPALIVE_MS);
  return {
    report: (progress: StageProgress): void => {
      last = nextHeartbeat(last, progress);
      ports.heartbeat(last);
    },
    stop: (): void => clearInterval(keepalive),
  };
}

/** The heartbeat after a progress report: one that carries no checkpoint keeps the last, so a retry still resumes. */
export function nextHeartbeat(last: StageHeartbeat, progress: StageProgress): StageHeartbeat {
  return { ...last, ...progress, checkpoint: progress.checkpoint ?? last.checkpoint };
}
