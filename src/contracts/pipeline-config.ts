/**
 * The resolved experiment config: what the YAML loader produces after validation and defaults, what is hashed,
 * and what the workflow receives as input. Types only (plus constants), so workflow code may import it.
 */

/** Tensor backends in order of preference; `auto` picks the first one installed. */
export const TENSOR_BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type TensorBackendName = (typeof TENSOR_BACKENDS)[number];

export interface RuntimeConfig {
  /** `auto` or a specific tensor backend. */
  backend: 'auto' | TensorBackendName;
  /** `in-process`: `pam run` starts a worker itself; `external`: rely on `pam worker` processes. */
  workers: 'in-process' | 'external';
  /** A stage attempt that has not heartbeated for this long is presumed dead and retried. */
  heartbeatTimeoutSeconds: number;
  /** Upper bound of one stage attempt. */
  stageTimeoutMinutes: number;
  /** Attempts per stage before the workflow parks it and waits for `pam retry`. */
  maximumAttempts: number;
  /**
   * How many stages may compute at once when the stage graph allows it (independent branches). Absent in configs
   * of workflows started before stages ran in parallel.
   */
  maxParallelStages?: number;
  /** Absent in configs of workflows started before stages had queues: every stage then runs on the workflow's. */
  queues?: { default: string; backends: Record<string, 'auto' | TensorBackendName> };
  /** Memory limit of one stage attempt at plan time; absent: the planning machine's total memory. */
  maxStageMemoryGiB?: number;
}

export interface ResolvedStage {
  /** Stage id: the key under `stages:` in the YAML. */
  id: string;
  /** Stage kind from the catalog. */
  uses: string;
  /** Seed for this stage (its own `seed:` or the experiment's). */
  seed: number;
  /** Input role → upstream stage id. */
  inputs: Record<string, string>;
  /** Validated params with defaults applied. */
  params: Record<string, unknown>;
  /**
   * How long its compute thread may stay silent (no progress, no log) before the attempt fails as stalled: the
   * stage's `maxSilenceSeconds`, else `runtime.maxSilenceSeconds`, else its kind's default. Absent in configs
   * of workflows started before it existed; the engine then uses the kind's default.
   */
  maxSilenceSeconds?: number;
  /** The task queue its compute runs on (its own `queue:`, else `runtime.queues.default`); absent in older configs. */
  queue?: string;
}

/** The queue whose workers take GPU stages; its backend is tfjs-node-gpu unless the config says otherwise. */
export const GPU_QUEUE = 'gpu';

/** The tensor backend a stage asks for: its queue's (`runtime.queues.backends`), else `runtime.backend`. */
export function backendOf(runtime: RuntimeConfig, stage: ResolvedStage): RuntimeConfig['backend'] {
  const queue = stage.queue ?? runtime.queues?.default;
  const own = queue === undefined ? undefined : runtime.queues?.backends[queue];
  return own ?? (queue === GPU_QUEUE ? 'tfjs-node-gpu' : runtime.backend);
}

export interface ResolvedPipelineConfig {
  /** Experiment name; the workflow id is derived from it. */
  experiment: string;
  description: string;
  seed: number;
  runtime: RuntimeConfig;
  /** Stages in YAML order (the planner orders them topologically). */
  stages: ResolvedStage[];
}
