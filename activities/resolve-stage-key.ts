/**
 * Activity: compute a stage's cache key and check whether an intact artifact is committed under it.
 * A corrupt artifact is quarantined and reported, never used.
 */
import { log } from '@temporalio/activity';
import { cacheKey, type ArtifactStore } from '../src/store/artifact-store.js';
import { refOf } from '../src/store/artifact-manifest.js';
import { describeKeyChanges } from '../src/store/key-diff.js';
import type { StageRecords } from '../src/store/stage-records.js';
import type { ResolvedStageKey, StageRequest } from '../src/contracts/stage-requests.js';
import { keyPartsOf } from './stage-key.js';
import { specOf } from '../src/engine/stage-key-parts.js';

export function createResolveStageKey(store: ArtifactStore, records: StageRecords) {
  return async function resolveStageKey(request: StageRequest): Promise<ResolvedStageKey> {
    const spec = specOf(request.uses);
    const parts = keyPartsOf(request);
    const key = cacheKey(parts);
    const recordId = request.shard ? `${request.stageId}.shard-${request.shard.index}` : request.stageId;
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
  };
}
