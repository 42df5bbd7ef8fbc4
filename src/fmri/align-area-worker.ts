/** Worker-thread entry: aligns one area (src/fmri/align-area.ts) per message; see worker-pool.ts. */
import { parentPort } from 'node:worker_threads';
import { alignArea, type AlignAreaTask, type AlignedArea } from './align-area.js';
import type { WorkerReply } from './worker-pool.js';

// Import this module only as a worker entry (worker-pool.ts): it answers every message of its parent port.
parentPort!.on('message', (task: AlignAreaTask) => {
  let reply: WorkerReply<AlignedArea>;
  try {
    reply = { result: alignArea(task.train, task.test, task.labels, task.zscoreDdof) };
  } catch (error) {
    reply = { error: { name: (error as Error).name, message: (error as Error).message } };
  }
  parentPort!.postMessage(reply);
});
