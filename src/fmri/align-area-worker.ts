/** Thread body (src/threads/thread-pool.ts `runInWorkers`): aligns one area (src/fmri/align-area.ts) per task. */
import type { ThreadBody } from '../threads/thread-protocol.js';
import { alignArea, type AlignAreaTask, type AlignedArea } from './align-area.js';

export const thread: ThreadBody<AlignAreaTask, never, AlignedArea> = (task) =>
  alignArea(task.train, task.test, task.labels, task.zscoreDdof);
