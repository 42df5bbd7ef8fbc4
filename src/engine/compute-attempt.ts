/**
 * One compute attempt of a stage whose key is not committed: fetch its inputs (and, from a shared store, the
 * checkpoints a killed attempt elsewhere left), run it in a compute thread while relaying progress as heartbeats
 * and checkpoints to the shared store, then commit the artifact and publish it.
 */
import { rmSync } from 'node:fs';
import type { RunStageRequest, StageHeartbeat } from '../contracts/stage-requests.js';
import { refOf, type ArtifactRef } from '../store/artifact-manifest.js';
import { localProducer } from '../store/artifact-store.js';
import type { StageKeyRecord } from '../store/stage-records.js';
import { defaultMaxSilenceSeconds } from '../stages/stage-spec.js';
import { preloadNativeLibrary } from '../tensor/native-backends.js';
import { publishCommitted } from '../store/artifact-lookup.js';
import { mirrorCheckpoints } from './checkpoint-mirror.js';
import { previousHeartbeatOf } from './heartbeat-details.js';
import { inputDirsOf } from './input-dirs.js';
import { runStageInThread } from './run-stage-in-thread.js';
import { StageCancelledError } from './stage-failure.js';
import { startHeartbeats } from './stage-heartbeats.js';
import { checkExternalInputsUnchanged, recordIdOf, specOf } from './stage-key-parts.js';
import type { EngineDeps, StagePorts } from './stage-ports.js';
import type { StageLogBook } from './stage-log.js';
import { attemptLogName, STAGE_LOG_FILE, writeAttemptLog } from '../store/stage-log-files.js';

export async function computeAttempt(
  deps: EngineDeps,
  request: RunStageRequest,
  ports: StagePorts,
  { key, record, book }: { key: string; record: StageKeyRecord; book: StageLogBook },
): Promise<ArtifactRef> {
  const { store, storeId, records, fingerprints, dataCacheDir, shared } = deps;
  const { attemptInfo } = ports;
  const inputDirs = await inputDirsOf(deps, request.inputs, ports.log);
  const partialDir = store.partialDir(request.uses, key);
  const spec = specOf(request.uses);
  if (shared) {
    const pulled = await shared.checkpoints.pull(request.uses, key, partialDir);
    if (pulled.length > 0) ports.log.info(`[${request.stageId}] resuming from checkpoints of the shared store: ${pulled.join(', ')}`);
    const files = spec.dataCache === 'reads' ? await shared.dataCache.pull(dataCacheDir) : [];
    if (files.length > 0) ports.log.info(`[${request.stageId}] downloaded files copied from the shared store: ${files.join(', ')}`);
  }
  const previous = previousHeartbeatOf(ports.previousHeartbeat, request, ports.log);
  const first: StageHeartbeat = { ...(previous ?? { stageId: request.stageId, fraction: 0, message: 'starting' }) };
  if (request.shard) first.shard = request.shard;
  const shardLabel = request.shard ? ` shard ${request.shard.index + 1}/${request.shard.count}` : '';
  const heartbeats = startHeartbeats(ports, first, {
    seconds: request.maxSilenceSeconds ?? defaultMaxSilenceSeconds(spec),
    label: `${request.stageId} (${request.uses})${shardLabel}`,
  });
  const staging = store.createStaging(request.uses, key);
  const startedAt = new Date();
  book.record(
    'info',
    `[${request.stageId}] ${request.uses}${shardLabel} key ${key}: attempt ${attemptInfo.attempt ?? 1} on ${localProducer().host} ` +
      `(backend ${request.backend}${attemptInfo.workflowId ? `, ${attemptInfo.workflowId}/${attemptInfo.runId}` : ''})`,
  );
  const mirror = shared && mirrorCheckpoints(() => shared.checkpoints.push(request.uses, key, partialDir), ports.log, request.stageId);
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
        partialDir,
        resumeToken: previous?.checkpoint,
        backend: request.backend,
        dataCacheDir,
        shard: request.shard ?? null,
      },
      {
        onProgress: (progress) => {
          heartbeats.report(progress);
          book.progress(progress);
          if (progress.checkpoint !== undefined) mirror?.reported(progress.checkpoint);
        },
        onLog: (message) => {
          heartbeats.heard();
          ports.log.info(`[${request.stageId}] ${message}`);
        },
        // A stall terminates the thread the way a cancel does (src/threads/thread-pool.ts), then fails as stalled.
        signal: AbortSignal.any([ports.cancellationSignal, heartbeats.stalled]),
      },
    );
    await checkExternalInputsUnchanged(request, record, fingerprints);
    await mirror?.settle();
    book.record('info', `[${request.stageId}] computed in ${secondsSince(startedAt)} s; committing ${key}`);
    // Written last into the staging folder, so the manifest lists, hashes and verifies it like the stage's files.
    staging.writeFile(STAGE_LOG_FILE, book.text());
    const committed = await store.commit(staging, {
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
    // The download cache's new files first: a reader on another worker may start once the artifact is published.
    if (shared && spec.dataCache === 'writes') await shared.dataCache.push(dataCacheDir);
    const manifest = await publishCommitted(store, shared, committed.manifest, committed.dir);
    await shared?.checkpoints.drop(request.uses, key);
    records.remember(request.experiment, recordIdOf(request), record);
    return refOf(storeId, manifest);
  } catch (error) {
    rmSync(staging.dir, { recursive: true, force: true });
    const failure = ports.cancellationSignal.aborted
      ? new StageCancelledError(request.stageId, { cause: error })
      : heartbeats.stalled.aborted
        ? heartbeats.stalled.reason
        : error;
    const name = attemptLogName(startedAt, attemptInfo.attempt ?? 1);
    await keepAttemptLog(deps, request, { partialDir, key, name }, book, failure, startedAt);
    // What the attempt checkpointed last goes out before it fails, for the retry that may run elsewhere.
    if (mirror)
      await mirror
        .settle()
        .then(() => shared.checkpoints.push(request.uses, key, partialDir))
        .catch(() => undefined);
    throw failure;
  } finally {
    heartbeats.stop();
  }
}

/**
 * A failed attempt's log goes beside its checkpoints (and to the shared store's), ending with why it failed, so
 * `pam logs` can show it; keeping it never hides the failure itself.
 */
async function keepAttemptLog(
  deps: EngineDeps,
  request: RunStageRequest,
  where: { partialDir: string; key: string; name: string },
  book: StageLogBook,
  failure: unknown,
  startedAt: Date,
): Promise<void> {
  const why = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
  book.record('error', `[${request.stageId}] attempt failed after ${secondsSince(startedAt)} s: ${why}`);
  try {
    writeAttemptLog(where.partialDir, where.name, book.text());
    await deps.shared?.checkpoints.putAttemptLog(request.uses, where.key, where.name, book.text());
  } catch {
    // A full disk or an unreachable store must not replace the stage's own error.
  }
}

function secondsSince(start: Date): string {
  return ((Date.now() - start.getTime()) / 1000).toFixed(1);
}
