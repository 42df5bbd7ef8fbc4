/** Eval-mode predictions of a trained decoder, in row chunks to bound tensor memory. */
import * as tf from '@tensorflow/tfjs';
import type { Decoder } from '../models/decoder.js';
import { concatTyped } from '../util/typed-arrays.js';
import { gatherBlocks, type TrainingData } from './training-data.js';

export interface Predictions {
  /** [rows, d] row-major. */
  latent: Float32Array;
  /** PAM only, one [rows, d|c] matrix per area. */
  attention?: { attention: Float32Array[]; values: Float32Array[]; keys: Float32Array[] };
}

const CHUNK_ROWS = 256;

export function predict(decoder: Decoder, data: Pick<TrainingData, 'blocks' | 'widths' | 'rows'>): Predictions {
  const chunks: { latent: Float32Array; attention?: Float32Array[][] }[] = [];
  for (let start = 0; start < data.rows; start += CHUNK_ROWS) {
    const rows = Int32Array.from({ length: Math.min(CHUNK_ROWS, data.rows - start) }, (_, i) => start + i);
    chunks.push(
      tf.tidy(() => {
        const out = decoder.forward(gatherBlocks(data, rows), false);
        const attention =
          out.attention &&
          [out.attention.attention, out.attention.values, out.attention.keys].map((list) => list.map((t) => t.dataSync() as Float32Array));
        return { latent: out.latent.dataSync() as Float32Array, ...(attention ? { attention } : {}) };
      }),
    );
  }
  const concat = (parts: Float32Array[]): Float32Array => concatTyped(Float32Array, parts);
  const latent = concat(chunks.map((c) => c.latent));
  if (!chunks[0]?.attention) return { latent };
  const perArea = (kind: number) => chunks[0]!.attention![kind]!.map((_, area) => concat(chunks.map((c) => c.attention![kind]![area]!)));
  return { latent, attention: { attention: perArea(0), values: perArea(1), keys: perArea(2) } };
}
