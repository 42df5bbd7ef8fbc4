/**
 * What the workflow sends to the stage activities and gets back: small references only (stage kinds, keys, row
 * counts, summaries; never a path), never arrays — Temporal payloads stay tiny and the history readable in the Web UI.
 * Types only, shared by `workflows/` and `activities/`.
 */
import type { ArtifactRef } from '../store/artifact-manifest.js';
import type { StageProgress } from '../stages/stage-definition.js';

export type { ArtifactRef };

export interface StageRequest {
  experiment: string;
  stageId: string;
  /** Stage kind. */
  uses: string;
  params: Record<string, unknown>;
  seed: number;
  /** Input role → committed upstream artifact. */
  inputs: Record<string, ArtifactRef>;
  /** Recompute even when an intact artifact with this key exists (`pam retry --stage S --force`). */
  force: boolean;
  /** Sharded stages: the shard this request is for; absent for the whole stage / its merge step. */
  shard?: { index: number; count: number };
  /** The stage's silence limit (`ResolvedStage.maxSilenceSeconds`); not part of the cache key. */
  maxSilenceSeconds?: number;
}

export interface ResolvedStageKey {
  key: string;
  /** `cached`: committed and verified; `missing`: never computed; `corrupt`: failed verification and was quarantined. */
  status: 'cached' | 'missing' | 'corrupt' | 'forced';
  ref?: ArtifactRef;
  /** Why it failed verification (status `corrupt`). */
  corruption?: string;
  /** What changed in this stage's key since the experiment's last run of it ("params.epochs: 2 → 3"). */
  changes: string[];
  /** Number of shards when the stage kind is sharded, else null. */
  shardCount: number | null;
}

export interface RunStageRequest extends StageRequest {
  key: string;
  backend: string;
  /** Run the merge step of a sharded stage (inputs then include `shard-<i>`). */
  merge: boolean;
}

/** One line of the experiment's stage table (workflow memo, current details, `pam status`). */
export interface StageRow {
  id: string;
  uses: string;
  status: 'pending' | 'running' | 'cached' | 'done' | 'failed' | 'skipped';
  key?: string;
  /** Why the stage (re)ran: key changes vs the last run, or a corruption that forced recomputation. */
  reason?: string;
  error?: string;
  summary?: Record<string, string | number | boolean | null>;
  rows?: Record<string, number>;
}

/** What an activity heartbeat carries: the CLI's progress bars read it, a retried attempt resumes from it. */
export interface StageHeartbeat extends StageProgress {
  stageId: string;
  shard?: { index: number; count: number };
}

export interface ExperimentInput {
  config: import('./pipeline-config.js').ResolvedPipelineConfig;
  configHash: string;
  /** Stage ids to recompute even if cached. */
  forceStages: string[];
  /**
   * Config queue name → the Temporal task queue its stages' compute is sent to (src/temporal/task-queue.ts).
   * Absent (older runs) or without a queue: that queue's stages run on the workflow's own task queue.
   */
  taskQueues?: Record<string, string>;
}

export interface ExperimentResult {
  experiment: string;
  configHash: string;
  stages: StageRow[];
}

export interface RetryStageRequest {
  /** Rerun from this stage (default: the blocked one). */
  stageId?: string;
  /** Recompute that stage even if an intact artifact exists. */
  force?: boolean;
}
