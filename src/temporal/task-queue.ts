/**
 * The task queue the pipeline's workflow and activities share. Its own module so that the client side
 * (`experiment-client.ts`, `pam status`) never loads `pipeline-worker.ts` and with it the native worker core.
 */
export const TASK_QUEUE = 'pam-pipeline';
