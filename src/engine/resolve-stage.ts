/**
 * The cache lookup of a stage: compute its key, say what changed since the experiment last ran it, and check
 * whether an intact artifact is committed under that key. A corrupt artifact is quarantined and reported, never
 * used; `--force` reports an intact one as `forced` so the workflow recomputes it.
 */
import type { ResolvedStageKey, StageRequest } from '../contracts/stage-requests.js';
import { refOf } from '../store/artifact-manifest.js';
import { cacheKey } from '../store/artifact-store.js';
import { lookUpArtifact } from '../store/artifact-lookup.js';
import type { EngineDeps, StageLog } from './stage-ports.js';
import { keyChangesSinceLastRun } from './rerun-reasons.js';
import { keyPartsOf, recordIdOf, specOf } from './stage-key-parts.js';

export async function resolveStage(deps: EngineDeps, request: StageRequest, log: StageLog): Promise<ResolvedStageKey> {
  const { storeId, records, fingerprints } = deps;
  const spec = specOf(request.uses);
  const record = await keyPartsOf(request, fingerprints);
  const key = cacheKey(record.keyParts);
  const recordId = recordIdOf(request);
  // A damaged record costs only the rerun reason: report it and go on as if the stage had never run.
  const changes = keyChangesSinceLastRun(records, request.experiment, recordId, record, (file, reason) =>
    log.warn(`stage record ${file} is unreadable and was skipped: ${reason}`),
  );
  const shardCount = request.shard ? null : (spec.shardCount?.(request.params as never) ?? null);

  const verdict = await lookUpArtifact(deps.store, deps.shared, request.uses, key, (message, meta) => log.warn(message, meta));
  if (verdict.status === 'intact') {
    if (request.force) return { key, status: 'forced', changes: ['forced (--force)'], shardCount };
    records.remember(request.experiment, recordId, record);
    return { key, status: 'cached', ref: refOf(storeId, verdict.manifest), changes, shardCount };
  }
  if (verdict.status === 'corrupt') {
    const { reason, movedTo } = verdict;
    log.warn(`artifact ${request.uses}/${key} failed verification and was quarantined`, { reason, movedTo });
    return { key, status: 'corrupt', corruption: `${reason} (moved to ${movedTo})`, changes, shardCount };
  }
  return { key, status: 'missing', changes, shardCount };
}
