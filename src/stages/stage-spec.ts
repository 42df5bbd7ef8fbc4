/**
 * What a stage declares about itself, in one place (the tfjs-layers pattern: args interface + class with a static
 * name + config): its kind, the params schema that validates the pipeline YAML's `with:` block, the input roles it
 * reads, and a code version that enters the cache key. `spec.ts` files import only zod, so config validation and
 * planning never load tensor libraries; the runner is loaded lazily inside the compute thread.
 */
import type { z } from 'zod';
import type { StageRunner } from './stage-definition.js';

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
   * Optional lines for `pam run --dry-run` (e.g. which files a download would fetch). Must work offline.
   */
  describePlan?(params: z.infer<S>): Promise<string[]>;
  /** Loads the compute side (called inside the compute thread only). */
  loadRunner(): Promise<StageRunner<z.infer<S>>>;
}
