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
import { defaultMaxSilenceSeconds } from '../stages/stage-spec.js';
import { removeLeftovers } from '../store/leftovers.js';
import { preloadNativeLibrary } from '../tensor/tf-backend.js';
import { previousHeartbeatOf } from './heartbeat-details.js';
import { inputDirsOf } from './input-dirs.js';
import { runStageInThread } from './run-stage-in-thread.js';
import { StageCancelledError } from './stage-failure.js';
import { startHeartbeats } from './stage-heartbeats.js';
import { checkExternalInputsUnchanged, keyPartsOf, recordIdOf, specOf } from './stage-key-parts.js';
import type { EngineDeps, StagePorts } from './stage-ports.js';

/** `<kind>/<key>` of the attempts this process is computing now: their staging folders are not leftovers. */
const computing = new Set<string>();

export async function executeStage(deps: EngineDeps, request: RunStageRequest, ports: StagePorts): Promise<ArtifactRef> {
  const { store, storeId, records, fingerprints, dataCacheDir } = deps;
  const record = await keyPartsOf(request, fingerprints);
  const key = cacheKey(record.keyParts);
  if (key !== request.key) throw new KeyMismatchError(`key ${key} differs from the planned ${request.key}`);
  const { attemptInfo } = ports;
  const existing = await store.verify(request.uses, key);
  // A forced recompute that an earlier attempt of this same run already committed is done: keep it.
  const ownCommit = existing.status === 'intact' && existing.manifest.producer.runId === attemptInfo.runId;
  if (existing.status === 'intact' && (!request.force || ownCommit)) {
    // An attempt killed between the commit's rename and its removal of the checkpoints left them; a committed key
    // never resumes, so they go now as they would have then (ArtifactStore.commit; test/faults kill-commit).
    rmSync(store.partialDir(request.uses, key), { recursive: true, force: true });
    return refOf(storeId, existing.manifest);
  }
  if (existing.status !== 'missing') store.quarantine(request.uses, key);
  // Forcing also discards checkpoints: they may be exactly what is wrong.
  if (request.force) rmSync(store.partialDir(request.uses, key), { recursive: true, force: true });

  const computingId = `${request.uses}/${key}`;
  // What a killed attempt of this key left (its staging folder, half-written checkpoint files): removed if its
  // process is gone, or is this one and no other attempt of this key runs here.
  removeLeftovers(store, { within: { stage: request.uses, key }, ownToo: !computing.has(computingId) });
  const inputDirs = inputDirsOf(deps, request.inputs);
  const previous = previousHeartbeatOf(ports.previousHeartbeat, request, ports.log);
  const first: StageHeartbeat = { ...(previous ?? { stageId: request.stageId, fraction: 0, message: 'starting' }) };
  if (request.shard) first.shard = request.shard;
  const shardLabel = request.shard ? ` shard ${request.shard.index + 1}/${request.shard.count}` : '';
  const heartbeats = startHeartbeats(ports, first, {
    seconds: request.maxSilenceSeconds ?? defaultMaxSilenceSeconds(specOf(request.uses)),
    label: `${request.stageId} (${request.uses})${shardLabel}`,
  });
  const staging = store.createStaging(request.uses, key);
  const startedAt = new Date();
  computing.add(computingId);
  try {
    // Its compute threads may load native TensorFlow together; the first load must come from this thread alone.
    preloadNativeLibrary(request.backend);
    const result = await runStageInThread(
      {
        kind: request.uses,
        mode: request.merge ? 'merge' : 'run',
        params: request.params,
        seed: request.seed,
        inputDirs,
        stagingDir: staging.dir,
        partialDir: store.partialDir(request.uses, key),
        resumeToken: previous?.checkpoint,
        backend: request.backend,
        dataCacheDir,
        shard: request.shard ?? null,
      },
      {
        onProgress: heartbeats.report,
        onLog: (message) => {
          heartbeats.heard();
          ports.log.info(`[${request.stageId}] ${message}`);
        },
        // A stall terminates the thread the way a cancel does (src/threads/thread-pool.ts), then fails as stalled.
        signal: AbortSignal.any([ports.cancellationSignal, heartbeats.stalled]),
      },
    );
    await checkExternalInputsUnchanged(request, record, fingerprints);
    const { manifest } = await store.commit(staging, {
      keyParts: record.keyParts,
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
    records.remember(request.experiment, recordIdOf(request), record);
    return refOf(storeId, manifest);
  } catch (error) {
    rmSync(staging.dir, { recursive: true, force: true });
    if (ports.cancellationSignal.aborted) throw new StageCancelledError(request.stageId, { cause: error });
    throw heartbeats.stalled.aborted ? heartbeats.stalled.reason : error;
  } finally {
    heartbeats.stop();
    computing.delete(computingId);
  }
}
