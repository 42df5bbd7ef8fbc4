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

export interface EngineDeps {
  store: ArtifactStore;
  records: StageRecords;
  /** Content digests of the external files and folders stages read (their part of each cache key). */
  fingerprints: FingerprintCache;
  /** Root of the shared, content-addressed download cache. */
  dataCacheDir: string;
}

/** The engine's state under one state folder (layout: `src/store/artifact-store.ts`). */
export function engineDepsAt(stateRoot: string): EngineDeps {
  return {
    store: new ArtifactStore(stateRoot),
    records: new StageRecords(stateRoot),
    fingerprints: FingerprintCache.at(stateRoot),
    dataCacheDir: path.join(stateRoot, 'data-cache'),
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
