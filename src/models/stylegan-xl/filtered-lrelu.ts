/**
 * `filtered_lrelu` as the official reference path computes it (autonomousvision/stylegan_xl
 * torch_utils/ops/filtered_lrelu.py `_filtered_lrelu_ref`, with torch_utils/ops/bias_act.py `_bias_act_ref`):
 *   add the bias → upfirdn2d(fu, up, padding, gain up²) → leaky ReLU(slope) × gain, clamp to ±clamp
 *   → upfirdn2d(fd, down).
 * The CUDA kernel computes the same function fused; the reference path is the definition it is tested against.
 * Input and output NHWC; the filtering runs channel-planar (src/models/stylegan-xl/upfirdn2d.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { type FirFilter, type Padding, upfirdn2d } from './upfirdn2d.js';

export interface FilteredLreluParams {
  /** Upsampling filter, already scaled by up² (the reference op's `gain=up**2`); null = identity. */
  upFilter: FirFilter | null;
  downFilter: FirFilter | null;
  up: number;
  down: number;
  padding: Padding;
  gain: number;
  slope: number;
  clamp: number | null;
}

/** NHWC [N, H, W, C] → channel-planar [N·C, H, W, 1]. */
function toPlanar(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c, h, w, 1]);
}

function fromPlanar(x: tf.Tensor4D, n: number, c: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  return tf.transpose(tf.reshape(x, [n, c, h, w]), [0, 2, 3, 1]);
}

export function filteredLrelu(x: tf.Tensor4D, bias: tf.Tensor1D, p: FilteredLreluParams): tf.Tensor4D {
  const [n, , , c] = x.shape;
  let planar = toPlanar(tf.add(x, bias));
  planar = upfirdn2d(planar, p.upFilter, p.up, 1, p.padding, p.up * p.up);
  // leaky_relu with slope 1 (the ToRGB layer's "linear" activation) is the identity.
  if (p.slope !== 1) planar = tf.leakyRelu(planar, p.slope);
  if (p.gain !== 1) planar = tf.mul(planar, p.gain);
  if (p.clamp !== null) planar = tf.clipByValue(planar, -p.clamp, p.clamp);
  planar = upfirdn2d(planar, p.downFilter, 1, p.down, [0, 0, 0, 0]);
  return fromPlanar(planar, n, c);
}
