/**
 * The pipeline worker: registers the `experiment` workflow and the stage activities on one task queue (the shared
 * one for `pam worker`, an experiment's own for the in-process worker of `pam run`; task-queue.ts). Before it
 * polls, it removes what killed attempts left in the state folder (src/store/leftovers.ts). Its workflow code is
 * bundled once per code version (workflow-bundle.ts).
 * Stage compute runs in worker threads (src/engine), so this process's event loop only polls, heartbeats and
 * completes tasks; `maxConcurrentStages` bounds how many compute threads run at once (one per core is right for
 * single-threaded wasm kernels).
 */
import os from 'node:os';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { openEngineDeps } from '../engine/stage-ports.js';
import type { StoreLocation } from '../store/store-location.js';
import { removeLeftovers } from '../store/leftovers.js';
import { TASK_QUEUE } from './task-queue.js';
import { workflowBundle } from './workflow-bundle.js';

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** This machine's own state: workflow bundles, fingerprints of local files. */
  stateRoot: string;
  /** The artifact store every worker of the cluster shares (default: an `fs` store at `stateRoot`). */
  store?: StoreLocation;
  /** Default: the shared TASK_QUEUE. */
  taskQueue?: string;
  /**
   * Serve stage activities only (a queue such as `pam-pipeline-gpu`, on which no workflow is started): no workflow
   * bundle is built or loaded.
   */
  activitiesOnly?: boolean;
  maxConcurrentStages?: number;
  /** Told what the leftover sweep removed, and when the workflow bundle is built. */
  log?: (line: string) => void;
}

export async function createPipelineWorker(options: PipelineWorkerOptions): Promise<Worker> {
  const deps = await openEngineDeps(options.stateRoot, options.store ?? { kind: 'fs', root: options.stateRoot });
  const removed = removeLeftovers(deps.store);
  if (removed.length > 0) options.log?.(`removed ${removed.length} leftover(s) of dead attempts: ${removed.join(', ')}`);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(options.activitiesOnly ? {} : { workflowBundle: await workflowBundle(options.stateRoot, options.log) }),
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentStages ?? Math.max(1, os.availableParallelism()),
    // Heartbeats are throttled to 0.8 × heartbeatTimeout by default (48 s for 60 s); progress bars and resume
    // tokens should be at most a few seconds old, and one small RPC every 2 s per stage is cheap.
    maxHeartbeatThrottleInterval: '2 seconds',
    defaultHeartbeatThrottleInterval: '2 seconds',
    // Let an in-flight stage notice the cancel and stop its compute thread before the process exits.
    shutdownGraceTime: '5 seconds',
  });
}
