/**
 * What a stage declares about itself, in one place (the tfjs-layers pattern: args interface + class with a static
 * name + config): its kind, the params schema that validates the pipeline YAML's `with:` block, the input roles it
 * reads, the files outside the store it reads, and a code version that enters the cache key. `spec.ts` files
 * import only zod, so config validation and planning never load tensor libraries; the runner is loaded lazily
 * inside the compute thread.
 */
import type { z } from 'zod';
import type { StageRunner } from './stage-definition.js';
import type { PlanIssue, PlannedInput, StageEstimate } from './stage-plan.js';

/**
 * A file or folder outside the artifact store that a stage reads (a data manifest, a stimulus folder, model
 * weights). Its content, not its path, enters the cache key (src/engine/stage-key-parts.ts): change the file and
 * the stage recomputes; move the clone and the key stays the same.
 */
export interface ExternalInput {
  /** Names it in the key and in rerun reasons, e.g. `data manifest`, `generator weights`; unique per stage. */
  readonly label: string;
  /**
   * Where its path sits in the params, e.g. `['generator', 'weights']`. Loading the config makes a relative path
   * there absolute against the pipeline YAML's folder; the key holds the content digest in its place.
   */
  readonly param: readonly string[];
  readonly kind: 'file' | 'folder';
  /** A digest the config declares for a file (e.g. weights' `sha256:`): verified when the key is computed. */
  readonly sha256?: string;
}

export interface StageSpec<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Stage kind, used as `uses:` in the pipeline YAML and as the artifact folder name. */
  readonly kind: string;
  /** One line for `pam run --dry-run`, the UI and the README. */
  readonly description: string;
  /**
   * Bump when the same inputs and params would now give different outputs. Part of the cache key, so a bump
   * recomputes this stage and everything downstream, and `pam status` says "code version 1 → 2".
   */
  readonly codeVersion: string;
  /** Input roles this stage needs; the YAML maps each role to an upstream stage id. */
  readonly inputs: readonly string[];
  /** Input roles it may use when given. */
  readonly optionalInputs?: readonly string[];
  /** Validates and fills defaults of the `with:` block. Must be `.strict()` so unknown keys are errors. */
  readonly params: S;
  /**
   * Declare for work that splits into independent shards (e.g. one latent inversion per image): the engine runs
   * each shard as its own activity (in parallel across workers, each committed as its own artifact as it
   * finishes), then the runner's `merge`.
   */
  shardCount?(params: z.infer<S>): number;
  /**
   * Whether the stage fills the download cache (`writes`) or reads files from it (`reads`): with a shared store,
   * the engine copies the cache's new entries to the store after a writer commits, and the entries a worker lacks
   * to it before a reader runs (src/data/cache/shared-data-cache.ts).
   */
  readonly dataCache?: 'writes' | 'reads';
  /** The external files and folders these params make the stage read (absent: none). */
  externalInputs?(params: z.infer<S>): ExternalInput[];
  /**
   * Optional lines for `pam run --dry-run` (e.g. which files a download would fetch). Must work offline.
   */
  describePlan?(params: z.infer<S>): Promise<string[]>;
  /**
   * How long its compute thread may send neither progress nor a log line before the engine presumes it wedged,
   * terminates it and fails the attempt with a retryable StageStalledError (src/engine/stage-heartbeats.ts).
   * Declare it longer than the default when one uninterruptible step (an eigen-solve, one big file read) can take
   * minutes; YAML overrides it per experiment (`runtime.maxSilenceSeconds`) and per stage (`maxSilenceSeconds`).
   */
  readonly maxSilenceSeconds?: number;
  /**
   * What one attempt will hold in memory and what it will produce, from its params and its inputs' planned outputs
   * (roles absent from `inputs` are not configured). Shown by `pam run --dry-run` and checked against
   * `runtime.maxStageMemoryGiB` before anything runs (src/config/plan-checks.ts). Pure and cheap.
   */
  estimate?(params: z.infer<S>, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate;
  /**
   * Cross-checks that need several params or the inputs' planned outputs (batch size against the training items, an
   * area name against the upstream's areas); a field an input does not know is not checked. Pure and cheap.
   */
  checkPlan?(params: z.infer<S>, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[];
  /** Loads the compute side (called inside the compute thread only). */
  loadRunner(): Promise<StageRunner<z.infer<S>>>;
}

/** The silence limit of a kind that declares none: a few minutes, far below `runtime.stageTimeoutMinutes`. */
export const DEFAULT_MAX_SILENCE_SECONDS = 300;

/** A kind's own silence limit (before YAML overrides). */
export function defaultMaxSilenceSeconds(spec: Pick<StageSpec, 'maxSilenceSeconds'>): number {
  return spec.maxSilenceSeconds ?? DEFAULT_MAX_SILENCE_SECONDS;
}
