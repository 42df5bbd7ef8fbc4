/**
 * Thread body (src/threads/thread-pool.ts `runInWorkers`): aligns one area (src/fmri/align-area.ts) per task and
 * reports each finished Procrustes fit, so the stage is heard from while an area takes minutes.
 */
import type { ThreadBody } from '../threads/thread-protocol.js';
import { alignArea, alignedAreaTransfer, type AlignAreaTask, type AlignedArea, type AlignStep } from './align-area.js';

export const thread: ThreadBody<AlignAreaTask, AlignStep, AlignedArea> = (task, { send }) =>
  alignArea(task.train, task.test, task.labels, task.zscoreDdof, (done, total) => send({ done, total }));

/** The result's buffers move back to the parent (src/threads/thread-entry.ts), not copied. */
export const transferResult = alignedAreaTransfer;
