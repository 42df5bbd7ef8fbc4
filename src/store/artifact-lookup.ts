/**
 * Find a committed artifact for a worker or client: in its store, or — when the store is shared (src/store/
 * shared-artifacts.ts) — in its local cache, else downloaded from the shared store and verified. A damaged copy
 * is quarantined here and reported, never used. With a shared store, a locally committed artifact whose
 * publication was cut off (the worker died after its local commit) is published on its next lookup.
 */
import type { ArtifactManifest } from './artifact-manifest.js';
import type { ArtifactStore } from './artifact-store.js';
import { evictOver, markUsed } from './local-cache-limit.js';
import type { SharedArtifacts } from './shared-artifacts.js';

/** The shared side of a store: the object store's artifacts, and how much of them this machine may keep. */
export interface SharedSide {
  artifacts: SharedArtifacts;
  /** The local cache's size limit (src/store/local-cache-limit.ts). */
  cacheLimitBytes: number;
}

/** Where a lookup says what it passed over (a damaged local copy it replaced from the shared store). */
export type LookupWarn = (message: string, meta: Record<string, unknown>) => void;

export type Lookup =
  | { status: 'missing' }
  | { status: 'intact'; manifest: ArtifactManifest; dir: string }
  | { status: 'corrupt'; reason: string; movedTo: string };

/** `<stage>/<key>` → how many stages of this process have the artifact open: eviction leaves them. */
const opened = new Map<string, number>();
const inUse = { has: (id: string) => (opened.get(id) ?? 0) > 0 };

export async function lookUpArtifact(
  store: ArtifactStore,
  shared: SharedSide | undefined,
  stage: string,
  key: string,
  warn: LookupWarn,
): Promise<Lookup> {
  const local = await store.verify(stage, key);
  if (local.status === 'intact') {
    if (!shared) return local;
    markUsed(local.dir);
    if (await shared.artifacts.isPublished(stage, key)) return local;
    return { status: 'intact', manifest: await shared.artifacts.publish(local.manifest, local.dir), dir: local.dir };
  }
  const damaged =
    local.status === 'corrupt'
      ? { status: 'corrupt' as const, reason: local.reason, movedTo: store.quarantine(stage, key) ?? 'already moved by another worker' }
      : undefined;
  if (!shared) return damaged ?? { status: 'missing' };
  if (damaged) warn(`the local copy of ${stage}/${key} failed verification and was quarantined`, { ...damaged });
  const fetched = await shared.artifacts.fetch(stage, key);
  if (fetched.status === 'missing') return damaged ?? fetched;
  if (fetched.status === 'corrupt') return fetched;
  evictOver(store, shared.cacheLimitBytes, inUse);
  return { status: 'intact', manifest: fetched.manifest, dir: fetched.dir };
}

/** Publish an artifact just committed to this worker's store; returns the manifest the shared store holds. */
export async function publishCommitted(
  store: ArtifactStore,
  shared: SharedSide | undefined,
  manifest: ArtifactManifest,
  dir: string,
): Promise<ArtifactManifest> {
  if (!shared) return manifest;
  const published = await shared.artifacts.publish(manifest, dir);
  evictOver(store, shared.cacheLimitBytes, inUse);
  return published;
}

/** Keep the artifacts `ids` (`<stage>/<key>`) in the local cache until the returned function is called. */
export function pinArtifacts(ids: readonly string[]): () => void {
  for (const id of ids) opened.set(id, (opened.get(id) ?? 0) + 1);
  return () => {
    for (const id of ids) {
      const left = opened.get(id)! - 1;
      if (left === 0) opened.delete(id);
      else opened.set(id, left);
    }
  };
}
