/**
 * Compute one stage (or one shard / the merge step of a sharded stage) and commit its artifact: check the key
 * against the planned one → run the stage in a compute thread → relay progress as heartbeats → commit
 * (src/engine/compute-attempt.ts).
 * Idempotent: if the key is already committed and intact (e.g. the previous attempt finished but its completion
 * was lost while the server was down) it returns that artifact.
 */
import { rmSync } from 'node:fs';
import type { RunStageRequest } from '../contracts/stage-requests.js';
import { KeyMismatchError } from '../errors/pipeline-errors.js';
import { refOf, type ArtifactRef } from '../store/artifact-manifest.js';
import { cacheKey } from '../store/artifact-store.js';
import { removeLeftovers } from '../store/leftovers.js';
import { lookUpArtifact, pinArtifacts } from '../store/artifact-lookup.js';
import { computeAttempt } from './compute-attempt.js';
import { StageLogBook } from './stage-log.js';
import { keyPartsOf } from './stage-key-parts.js';
import type { EngineDeps, StagePorts } from './stage-ports.js';

/** `<kind>/<key>` of the attempts this process is computing now: their staging folders are not leftovers. */
const computing = new Set<string>();

export async function executeStage(deps: EngineDeps, request: RunStageRequest, ports: StagePorts): Promise<ArtifactRef> {
  const { store, storeId, fingerprints } = deps;
  const record = await keyPartsOf(request, fingerprints);
  const key = cacheKey(record.keyParts);
  if (key !== request.key) throw new KeyMismatchError(`key ${key} differs from the planned ${request.key}`);
  const { attemptInfo } = ports;
  // What this attempt says about the stage is kept with its outcome: a cache hit keeps the original log.
  const book = new StageLogBook();
  const logged: StagePorts = { ...ports, log: book.tee(ports.log) };
  const existing = await lookUpArtifact(store, deps.shared, request.uses, key, (message, meta) => logged.log.warn(message, meta));
  // A forced recompute that an earlier attempt of this same run already committed is done: keep it.
  const ownCommit = existing.status === 'intact' && existing.manifest.producer.runId === attemptInfo.runId;
  if (existing.status === 'intact' && (!request.force || ownCommit)) {
    // An attempt killed between the commit's rename and its removal of the checkpoints left them; a committed key
    // never resumes, so they go now as they would have then (ArtifactStore.commit; test/faults kill-commit).
    await dropCheckpoints(deps, request.uses, key);
    return refOf(storeId, existing.manifest);
  }
  if (existing.status === 'intact') {
    // Forced: the committed artifact makes way for the recompute (kept aside for inspection).
    store.quarantine(request.uses, key);
    await deps.shared?.artifacts.withdraw(request.uses, key);
  }
  // Forcing also discards checkpoints: they may be exactly what is wrong.
  if (request.force) await dropCheckpoints(deps, request.uses, key);

  const computingId = `${request.uses}/${key}`;
  // What a killed attempt of this key left (its staging folder, half-written checkpoint files): removed if its
  // process is gone, or is this one and no other attempt of this key runs here.
  removeLeftovers(store, { within: { stage: request.uses, key }, ownToo: !computing.has(computingId) });
  const unpin = pinArtifacts(Object.values(request.inputs).map((ref) => `${ref.stage}/${ref.key}`));
  computing.add(computingId);
  try {
    return await computeAttempt(deps, request, logged, { key, record, book });
  } finally {
    computing.delete(computingId);
    unpin();
  }
}

/** The attempt's checkpoints go, here and in a shared store: the key is committed, or forced to recompute. */
async function dropCheckpoints(deps: EngineDeps, stage: string, key: string): Promise<void> {
  rmSync(deps.store.partialDir(stage, key), { recursive: true, force: true });
  await deps.shared?.checkpoints.drop(stage, key);
}
