/**
 * In-memory training data as row-major Float32 blocks (one per area for PAM, one concatenated block for the
 * baseline) plus the target latents, and the batch gathering the trainer needs.
 */
import * as tf from '@tensorflow/tfjs';

export interface TrainingData {
  /** Row-major [rows, widths[b]] matrices. */
  blocks: Float32Array[];
  widths: number[];
  /** Row-major [rows, latentDim] targets. */
  targets: Float32Array;
  latentDim: number;
  rows: number;
}

/** Check that every block and the targets have `rows` rows of their declared width. */
export function validateTrainingData(data: TrainingData, source: string): void {
  data.blocks.forEach((block, b) => {
    if (block.length !== data.rows * data.widths[b]!) {
      throw new RangeError(`${source}: input block ${b} has ${block.length} values, expected ${data.rows}×${data.widths[b]}`);
    }
  });
  if (data.targets.length !== data.rows * data.latentDim) {
    throw new RangeError(`${source}: targets have ${data.targets.length} values, expected ${data.rows}×${data.latentDim}`);
  }
}

function gatherRows(matrix: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    out.set(matrix.subarray(row * width, (row + 1) * width), i * width);
  }
  return out;
}

/** Input-block tensors of the given rows (caller disposes). */
export function gatherBlocks(data: Pick<TrainingData, 'blocks' | 'widths'>, rows: ArrayLike<number>): tf.Tensor2D[] {
  return data.blocks.map((block, b) => tf.tensor2d(gatherRows(block, data.widths[b]!, rows), [rows.length, data.widths[b]!]));
}

/** Tensors of the given rows: input blocks and targets (caller disposes). */
export function gatherBatch(data: TrainingData, rows: ArrayLike<number>): { blocks: tf.Tensor2D[]; target: tf.Tensor2D } {
  return {
    blocks: gatherBlocks(data, rows),
    target: tf.tensor2d(gatherRows(data.targets, data.latentDim, rows), [rows.length, data.latentDim]),
  };
}

/** Consecutive slices of `order` of at most `batchSize` (a trailing slice of one row is dropped: batch norm needs ≥ 2). */
export function batchesOf(order: Int32Array, batchSize: number): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.subarray(start, Math.min(order.length, start + batchSize));
    if (batch.length >= 2) batches.push(batch);
  }
  return batches;
}
