/**
 * The pipeline worker: registers the `experiment` workflow and the stage activities on one task queue.
 * Stage compute runs in worker threads (src/engine), so this process's event loop only polls, heartbeats and
 * completes tasks; `maxConcurrentStages` bounds how many compute threads run at once (one per core is right for
 * single-threaded wasm kernels).
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { engineDepsAt } from '../engine/stage-ports.js';
import { TASK_QUEUE } from './task-queue.js';

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  stateRoot: string;
  maxConcurrentStages?: number;
}

export async function createPipelineWorker(options: PipelineWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
    activities: createActivities(engineDepsAt(options.stateRoot)),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentStages ?? Math.max(1, os.availableParallelism()),
    // Heartbeats are throttled to 0.8 × heartbeatTimeout by default (48 s for 60 s); progress bars and resume
    // tokens should be at most a few seconds old, and one small RPC every 2 s per stage is cheap.
    maxHeartbeatThrottleInterval: '2 seconds',
    defaultHeartbeatThrottleInterval: '2 seconds',
    // Let an in-flight stage notice the cancel and stop its compute thread before the process exits.
    shutdownGraceTime: '5 seconds',
  });
}
