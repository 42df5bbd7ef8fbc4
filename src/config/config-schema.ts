/**
 * Zod schemas of the pipeline YAML's fixed part (everything except a stage's `with:` block, which the stage
 * kind's own `params` schema validates). Every object is `.strict()` so a misspelt key is an error, and every
 * optional field has its default here, so the resolved config — and therefore its hash — never depends on
 * whether a default was written out.
 */
import { z } from 'zod';
import { TENSOR_BACKENDS } from '../contracts/pipeline-config.js';
import { MAX_DESCRIPTION_CHARS } from './size-limits.js';

/** The experiment name becomes part of the Temporal workflow id, so it stays a short lowercase slug. */
export const EXPERIMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Stage ids appear in artifact folders, activity ids and `--set stages.<id>...` paths. */
export const STAGE_ID_PATTERN = /^[a-z][a-z0-9-]{0,40}$/;

/**
 * `Rng` (src/random/rng.ts) reduces its seed with `seed >>> 0`, so seeds above 2^32 − 1 would silently alias
 * smaller ones; the schema refuses them instead.
 */
export const MAX_SEED = 2 ** 32 - 1;

export const seedSchema = z.number().int().min(0).max(MAX_SEED);

/**
 * A compute thread silent for longer than this is presumed wedged (src/engine/stage-heartbeats.ts). Optional at
 * both levels, without a default here: resolution writes each stage's effective value (its own, else the
 * runtime's, else its kind's default; src/config/resolve-stage.ts) and keeps none in `runtime`, so the hash
 * follows the effective limits only. A day is the most: a thread silent that long is stuck.
 */
export const maxSilenceSchema = z.number().int().min(1).max(86_400).optional();

/** A task queue's name in the config (`cpu`, `gpu`, `big-memory`); src/temporal/task-queue.ts maps it to Temporal's. */
export const queueNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a queue name: a lower-case letter, then letters, digits or -');

export const runtimeSchema = z
  .object({
    backend: z.enum(['auto', ...TENSOR_BACKENDS]).default('auto'),
    workers: z.enum(['in-process', 'external']).default('in-process'),
    heartbeatTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
    stageTimeoutMinutes: z.number().int().min(1).max(10080).default(240),
    maximumAttempts: z.number().int().min(1).max(100).default(3),
    maxSilenceSeconds: maxSilenceSchema,
    /** Stages computed at once where the graph allows (independent branches; each worker also bounds its own). */
    maxParallelStages: z.number().int().min(1).max(64).default(4),
    /**
     * `default`: the queue of every stage without its own `queue:`; `backends`: a queue's tensor backend where it
     * differs from `backend` (queue `gpu` defaults to tfjs-node-gpu: src/contracts/pipeline-config.ts).
     */
    queues: z
      .object({
        default: queueNameSchema.default('cpu'),
        backends: z.record(queueNameSchema, z.enum(['auto', ...TENSOR_BACKENDS])).default({}),
      })
      .strict()
      .default({}),
    /**
     * Refuse a plan whose stage needs more memory than this (StageSpec.estimate, src/config/plan-checks.ts). No
     * default here, so the hash does not depend on the machine: absent means the planning machine's total memory.
     */
    maxStageMemoryGiB: z.number().positive().max(1_048_576).optional(),
  })
  .strict();

/** Top level; `stages` is only checked to be a mapping here, each entry is validated on its own (see below). */
export const pipelineFileSchema = z
  .object({
    experiment: z.string().regex(EXPERIMENT_NAME_PATTERN),
    description: z.string().max(MAX_DESCRIPTION_CHARS).default(''),
    seed: seedSchema,
    runtime: runtimeSchema.default({}),
    stages: z.record(z.unknown()),
  })
  .strict();

/**
 * One entry under `stages:`. Validated per stage so that one broken stage does not hide the errors of the
 * others; `with` is kept as a raw mapping for the kind's params schema.
 */
export const stageEntrySchema = z
  .object({
    uses: z.string().min(1),
    seed: seedSchema.optional(),
    inputs: z.record(z.string().min(1)).default({}),
    with: z.record(z.unknown()).default({}),
    maxSilenceSeconds: maxSilenceSchema,
    /** The task queue its compute runs on (default `runtime.queues.default`): `gpu` sends it to GPU workers. */
    queue: queueNameSchema.optional(),
  })
  .strict();

export type PipelineFile = z.infer<typeof pipelineFileSchema>;
export type StageEntry = z.infer<typeof stageEntrySchema>;
