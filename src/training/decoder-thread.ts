/** Worker-thread entry: runs one `DecoderJob` and posts epoch reports, heartbeats, logs and the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { runDecoderJob, type DecoderJob } from './decoder-job.js';
import type { ThreadMessage, ParentMessage } from './decoder-thread-protocol.js';

const port = parentPort!;
const abort = new AbortController();
const send = (message: ThreadMessage): void => port.postMessage(message);
port.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') abort.abort(new Error(message.reason));
});

runDecoderJob(workerData as DecoderJob, {
  onEpoch: (report) => send({ type: 'epoch', report }),
  onHeartbeat: (info) => send({ type: 'heartbeat', info }),
  log: (line) => send({ type: 'log', line }),
  signal: abort.signal,
})
  .then((result) => send({ type: 'done', result }))
  .catch((error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    send({ type: 'error', name: err.name, message: err.message, stack: err.stack ?? '' });
  })
  .finally(() => port.close());
