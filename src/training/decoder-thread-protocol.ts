/** Messages between the train stage and a decoder's worker thread. */
import type { DecoderJobResult } from './decoder-job.js';
import type { EpochReport } from './train-decoder.js';

export type ThreadMessage =
  | { type: 'epoch'; report: EpochReport }
  | { type: 'heartbeat'; info: { epoch: number; batch: number; batches: number } }
  | { type: 'log'; line: string }
  | { type: 'done'; result: DecoderJobResult }
  | { type: 'error'; name: string; message: string; stack: string };

export type ParentMessage = { type: 'abort'; reason: string };
