/**
 * The task queues of the pipeline's workflow and activities (activities run on their workflow's queue). Their own
 * module so that the client side (`experiment-client.ts`, `pam status`) never loads `pipeline-worker.ts` and with
 * it the native worker core.
 */

/** The shared queue that external workers (`pam worker`) poll: experiments with `runtime.workers: external`. */
export const TASK_QUEUE = 'pam-pipeline';

/**
 * The queue of one experiment run by the in-process worker of `pam run` / `pam retry`: only processes of that
 * experiment poll it, so two experiments run side by side never execute each other's stages, and neither depends
 * on the other's process staying up.
 */
export function inProcessTaskQueue(experiment: string): string {
  return `pam-in-process-${experiment}`;
}
