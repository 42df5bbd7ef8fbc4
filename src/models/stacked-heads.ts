/**
 * PAM's per-area heads computed together: every tensor carries the area as a leading axis, [H, n, ·], so a block
 * of all H heads is one batched matmul and one set of batch-norm ops instead of H of each. On native TensorFlow a
 * kernel costs 25–45 µs to dispatch whatever its size, and a B2G-sized forward + backward pass drops from 2,044
 * kernels to 942 (docs/compute.md §3b). The arithmetic per head is that of src/models/layers.ts `Linear` and `BatchNorm`
 * (PyTorch's conventions), element for element.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from './layers.js';

/** Per-head parameters of one batch norm, stacked: gamma, beta, running mean and variance, each [H, c]. */
export interface StackedNorm {
  gamma: tf.Tensor2D;
  beta: tf.Tensor2D;
  runningMean: tf.Tensor2D;
  runningVariance: tf.Tensor2D;
}

/** [H, n, in] · [H, in, out] + [H, out] → [H, n, out]. */
export function stackedLinear(x: tf.Tensor3D, weight: tf.Tensor3D, bias: tf.Tensor2D): tf.Tensor3D {
  return tf.add(tf.matMul(x, weight), tf.expandDims(bias, 1));
}

/**
 * Batch norm of each head's [n, c] slice over its n rows. Training mode also returns the updated running
 * statistics (momentum 0.1, unbiased variance, as torch.nn.BatchNorm1d), for the caller to assign.
 */
export function stackedBatchNorm(
  x: tf.Tensor3D,
  norm: StackedNorm,
  training: boolean,
): { y: tf.Tensor3D; runningMean?: tf.Tensor2D; runningVariance?: tf.Tensor2D } {
  const gamma = tf.expandDims(norm.gamma, 1);
  const beta = tf.expandDims(norm.beta, 1);
  if (!training) {
    const normalised = tf.div(
      tf.sub(x, tf.expandDims(norm.runningMean, 1)),
      tf.sqrt(tf.add(tf.expandDims(norm.runningVariance, 1), BATCH_NORM_EPSILON)),
    );
    return { y: tf.add(tf.mul(normalised, gamma), beta) };
  }
  const rows = x.shape[1];
  if (rows < 2) throw new RangeError(`batch norm in training mode needs at least 2 rows, got ${rows}`);
  const { mean, variance } = tf.moments(x, 1, true);
  const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON)));
  const y = tf.add(tf.mul(normalised, gamma), beta) as tf.Tensor3D;
  const [h, , c] = x.shape;
  const unbiased = tf.mul(tf.reshape(variance, [h, c]), rows / (rows - 1));
  const momentum = (running: tf.Tensor2D, batch: tf.Tensor) =>
    tf.add(tf.mul(running, 1 - BATCH_NORM_MOMENTUM), tf.mul(batch, BATCH_NORM_MOMENTUM)) as tf.Tensor2D;
  return {
    y,
    runningMean: momentum(norm.runningMean, tf.reshape(mean, [h, c])),
    runningVariance: momentum(norm.runningVariance, unbiased),
  };
}

/**
 * PAM attention over stacked keys [H, n, c] and values [H, n, d] with queries as a Linear(c → d) (weight [c, d],
 * bias [d]): score (k_h · q_j + b_j)·scale, softmax over the area axis separately for each j (max-subtracted),
 * z_j = Σ_h a_hj · v_hj. Returns the attention [H, n, d] and the latent [n, d].
 */
export function stackedAttention(
  keys: tf.Tensor3D,
  values: tf.Tensor3D,
  queryWeight: tf.Tensor2D,
  queryBias: tf.Tensor1D,
  scale: number,
): { attention: tf.Tensor3D; latent: tf.Tensor2D } {
  const [h, n, c] = keys.shape;
  const d = queryWeight.shape[1];
  const flat = tf.add(tf.matMul(tf.reshape(keys, [h * n, c]), queryWeight), queryBias);
  const scores = tf.mul(tf.reshape(flat, [h, n, d]), scale);
  const exps = tf.exp(tf.sub(scores, tf.max(scores, 0, true)));
  const attention = tf.div(exps, tf.sum(exps, 0, true)) as tf.Tensor3D;
  return { attention, latent: tf.sum(tf.mul(attention, values), 0) };
}
