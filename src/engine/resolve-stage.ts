/**
 * The cache lookup of a stage: compute its key, say what changed since the experiment last ran it, and check
 * whether an intact artifact is committed under that key. A corrupt artifact is quarantined and reported, never
 * used; `--force` reports an intact one as `forced` so the workflow recomputes it.
 */
import type { ResolvedStageKey, StageRequest } from '../contracts/stage-requests.js';
import { refOf } from '../store/artifact-manifest.js';
import { cacheKey } from '../store/artifact-store.js';
import { describeKeyChanges } from '../store/key-diff.js';
import type { EngineDeps, StageLog } from './stage-ports.js';
import { keyPartsOf, recordIdOf, specOf } from './stage-key-parts.js';

export async function resolveStage({ store, records }: EngineDeps, request: StageRequest, log: StageLog): Promise<ResolvedStageKey> {
  const spec = specOf(request.uses);
  const parts = keyPartsOf(request);
  const key = cacheKey(parts);
  const recordId = recordIdOf(request);
  const previous = records.last(request.experiment, recordId);
  const changes = previous ? describeKeyChanges(previous, parts) : [];
  if (previous && changes.length === 0) changes.push('same key as the last committed run, but its artifact is no longer intact');
  const shardCount = request.shard ? null : (spec.shardCount?.(request.params as never) ?? null);

  const verdict = await store.verify(request.uses, key);
  if (verdict.status === 'intact') {
    if (request.force) return { key, status: 'forced', changes: ['forced (--force)'], shardCount };
    records.remember(request.experiment, recordId, parts);
    return { key, status: 'cached', ref: refOf(verdict.dir, verdict.manifest), changes, shardCount };
  }
  if (verdict.status === 'corrupt') {
    const movedTo = store.quarantine(request.uses, key) ?? 'already moved by another worker';
    log.warn(`artifact ${request.uses}/${key} failed verification and was quarantined`, { reason: verdict.reason, movedTo });
    return { key, status: 'corrupt', corruption: `${verdict.reason} (moved to ${movedTo})`, changes, shardCount };
  }
  return { key, status: 'missing', changes, shardCount };
}
