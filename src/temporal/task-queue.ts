/**
 * The task queues of the pipeline's workflow and activities (activities run on their workflow's queue). Their own
 * module so that the client side (`experiment-client.ts`, `pam status`) never loads `pipeline-worker.ts` and with
 * it the native worker core.
 */

/**
 * The shared queue that external workers (`pam worker`) poll: experiments with `runtime.workers: external` run
 * their workflow, their cache lookups and the compute of config queue `cpu` here.
 */
export const TASK_QUEUE = 'pam-pipeline';

/** The config queue whose compute runs on TASK_QUEUE itself (`pam worker` without `--queue`). */
export const DEFAULT_QUEUE = 'cpu';

/** The Temporal task queue of a config queue (`runtime.queues`, a stage's `queue:`): `gpu` → `pam-pipeline-gpu`. */
export function taskQueueOf(queue: string): string {
  return queue === DEFAULT_QUEUE ? TASK_QUEUE : `${TASK_QUEUE}-${queue}`;
}

/** Config queue → Temporal task queue for every queue the experiment's stages use. */
export function taskQueuesOf(queues: readonly (string | undefined)[]): Record<string, string> {
  const names = [...new Set(queues.filter((q): q is string => q !== undefined))].sort();
  return Object.fromEntries(names.map((q) => [q, taskQueueOf(q)]));
}

/**
 * The queue of one experiment run by the in-process worker of `pam run` / `pam retry`: only processes of that
 * experiment poll it, so two experiments run side by side never execute each other's stages, and neither depends
 * on the other's process staying up.
 */
export function inProcessTaskQueue(experiment: string): string {
  return `pam-in-process-${experiment}`;
}
