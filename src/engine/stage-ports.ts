/**
 * What the stage engine needs from outside: the state it works on (artifact store, stage records, download
 * cache) and, per attempt, the ports of its host. In production the host is a Temporal activity
 * (`activities/index.ts` builds the ports from `Context.current()`); the engine itself never imports Temporal,
 * so its policy is tested with plain fakes (`test/engine/`).
 */
import path from 'node:path';
import type { StageHeartbeat } from '../contracts/stage-requests.js';
import { ArtifactStore } from '../store/artifact-store.js';
import { FingerprintCache } from '../store/fingerprints.js';
import { StageRecords } from '../store/stage-records.js';
import { storeIdAt, storeIdIn } from '../store/store-identity.js';
import { DATA_CACHE_FOLDER, SHARED_CACHE_FOLDER, type StoreLocation } from '../store/store-location.js';
import { cacheLimitBytes } from '../store/local-cache-limit.js';
import { SharedArtifacts } from '../store/shared-artifacts.js';
import type { SharedSide } from '../store/artifact-lookup.js';
import { SharedCheckpoints } from '../store/shared-checkpoints.js';
import { SharedDataCache } from '../data/cache/shared-data-cache.js';
import { openS3ObjectStore } from '../store/s3/s3-object-store.js';

export interface EngineDeps {
  /** The artifact store's id (src/store/store-identity.ts), stamped on every reference the engine returns. */
  storeId: string;
  store: ArtifactStore;
  /** Kept with the store, so every worker explains a rerun the same way. */
  records: StageRecords;
  /** Content digests of the external files and folders stages read (their part of each cache key). */
  fingerprints: FingerprintCache;
  /** Root of the content-addressed download cache, kept with the store. */
  dataCacheDir: string;
  /** The store as its users name it: a folder, or a URI. */
  storeDescription: string;
  /**
   * With a shared object store (`PAM_STORE=s3://…`): the store itself and its checkpoints; `store` above is then
   * this worker's verified local cache of it (src/engine/artifact-lookup.ts).
   */
  shared?: SharedStore;
}

export interface SharedStore extends SharedSide {
  checkpoints: SharedCheckpoints;
  dataCache: SharedDataCache;
}

/**
 * The engine's state for a store location (src/store/store-location.ts). An `s3` store is reached once here, for
 * its identity, so a worker with a wrong endpoint, bucket or credentials fails before it polls. Its stage records,
 * download cache and local artifact cache stay on this machine, in the state folder.
 */
export async function openEngineDeps(
  stateRoot: string,
  location: StoreLocation,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EngineDeps> {
  if (location.kind === 'fs') return engineDepsAt(stateRoot, location.root);
  const remote = openS3ObjectStore(location, env);
  const local = new ArtifactStore(path.join(stateRoot, SHARED_CACHE_FOLDER));
  return {
    storeId: await storeIdIn(remote),
    store: local,
    records: new StageRecords(stateRoot),
    fingerprints: FingerprintCache.at(stateRoot),
    dataCacheDir: path.join(stateRoot, DATA_CACHE_FOLDER),
    storeDescription: remote.location,
    shared: {
      artifacts: new SharedArtifacts(remote, local),
      checkpoints: new SharedCheckpoints(remote),
      dataCache: new SharedDataCache(remote),
      cacheLimitBytes: cacheLimitBytes(env),
    },
  };
}

/**
 * The engine's state: the artifact store at `storeRoot` (layout: `src/store/artifact-store.ts`; by default the
 * state folder itself) and this machine's own caches under `stateRoot`.
 */
export function engineDepsAt(stateRoot: string, storeRoot: string = stateRoot): EngineDeps {
  return {
    storeId: storeIdAt(storeRoot),
    store: new ArtifactStore(storeRoot),
    records: new StageRecords(storeRoot),
    // Keyed by local path, size and mtime: true on this machine only.
    fingerprints: FingerprintCache.at(stateRoot),
    dataCacheDir: path.join(storeRoot, DATA_CACHE_FOLDER),
    storeDescription: storeRoot,
  };
}

/** Structured log lines (the shape of `@temporalio/activity` `log`). */
export interface StageLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Which attempt of which workflow run is computing: recorded as the artifact's producer. */
export interface AttemptInfo {
  workflowId?: string;
  runId?: string;
  activityId?: string;
  attempt?: number;
}

/** The host of one compute attempt. */
export interface StagePorts {
  heartbeat(details: StageHeartbeat): void;
  log: StageLog;
  /** Aborted when the attempt is cancelled; relayed to the compute thread. */
  cancellationSignal: AbortSignal;
  attemptInfo: AttemptInfo;
  /**
   * The last heartbeat details of the previous attempt, if this one is a retry: it resumes from its checkpoint.
   * As received (untrusted JSON); the engine validates it (src/engine/heartbeat-details.ts).
   */
  previousHeartbeat: unknown;
}
