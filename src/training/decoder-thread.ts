/** Thread body (src/threads/): runs one `DecoderJob`, sending epoch reports, heartbeats and logs as events. */
import type { ThreadBody } from '../threads/thread-protocol.js';
import { runDecoderJob, type DecoderJob, type DecoderJobHooks, type DecoderJobResult } from './decoder-job.js';

export type DecoderThreadEvent =
  | { type: 'epoch'; report: Parameters<DecoderJobHooks['onEpoch']>[0] }
  | { type: 'heartbeat'; info: Parameters<DecoderJobHooks['onHeartbeat']>[0] }
  | { type: 'checkpoint-damaged'; message: string }
  | { type: 'log'; line: string };

export const thread: ThreadBody<DecoderJob, DecoderThreadEvent, DecoderJobResult> = (job, { send, signal }) =>
  runDecoderJob(job, {
    onEpoch: (report) => send({ type: 'epoch', report }),
    onHeartbeat: (info) => send({ type: 'heartbeat', info }),
    onCheckpointDamaged: (message) => send({ type: 'checkpoint-damaged', message }),
    log: (line) => send({ type: 'log', line }),
    signal,
  });
