/**
 * `upfirdn2d` as the official reference path computes it (autonomousvision/stylegan_xl
 * torch_utils/ops/upfirdn2d.py `_upfirdn2d_ref`): upsample by inserting up−1 zeros after each pixel, pad (negative
 * padding crops), convolve with a separable FIR filter (horizontal pass, then vertical), keep every `down`-th pixel.
 *
 * Layout: channel-planar, [N·C, H, W, 1] — every channel of every image is its own single-channel image, so one
 * ordinary conv2d applies the filter to all of them. A depthwise conv would avoid the transposes, but tfjs-backend-wasm
 * 4.22 has no DepthwiseConv2dNativeBackpropInput kernel, and gradients must flow on every backend. Downsampling is
 * the stride of each pass: the columns a strided horizontal pass skips are the ones the official slice
 * `x[:, :, ::down, ::down]` drops, and the vertical pass treats every column alike.
 */
import * as tf from '@tensorflow/tfjs';

/** A separable FIR filter ready for conv2d: flipped (convolution, not correlation) and scaled by √gain per pass. */
export interface FirFilter {
  readonly taps: Float32Array;
  readonly horizontal: tf.Tensor4D;
  readonly vertical: tf.Tensor4D;
}

/** Padding [x before, x after, y before, y after] of the upsampled image, as the official `padding` argument. */
export type Padding = readonly [number, number, number, number];

/**
 * Prepare 1-D taps as the reference op does: `f * gain ** (f.ndim / 2)`, then flipped because flip_filter=False
 * means true convolution. null taps (the official None) are the identity.
 */
export function firFilter(taps: Float32Array | null, gain: number): FirFilter | null {
  if (taps === null) return null;
  const scaled = tf.tidy(() => tf.reverse(tf.mul(tf.tensor1d(taps), Math.sqrt(gain)), 0));
  const k = taps.length;
  const filter = {
    taps,
    horizontal: tf.reshape(scaled, [1, k, 1, 1]) as tf.Tensor4D,
    vertical: tf.reshape(scaled, [k, 1, 1, 1]) as tf.Tensor4D,
  };
  scaled.dispose();
  return filter;
}

export function disposeFirFilter(filter: FirFilter | null): void {
  if (filter) tf.dispose([filter.horizontal, filter.vertical]);
}

/** Insert `up − 1` zeros after every pixel in both directions (official: reshape, pad, reshape). */
function insertZeros(x: tf.Tensor4D, up: number): tf.Tensor4D {
  const [m, h, w] = x.shape;
  const columns = tf.reshape(
    tf.pad(tf.reshape(x, [m, h, w, 1]), [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, up - 1],
    ]),
    [m, h, 1, w * up],
  );
  return tf.reshape(
    tf.pad(columns, [
      [0, 0],
      [0, 0],
      [0, up - 1],
      [0, 0],
    ]),
    [m, h * up, w * up, 1],
  );
}

/** Pad with zeros where the padding is positive, crop where it is negative. */
function padOrCrop(x: tf.Tensor4D, [x0, x1, y0, y1]: Padding): tf.Tensor4D {
  let out = x;
  if (x0 > 0 || x1 > 0 || y0 > 0 || y1 > 0) {
    out = tf.pad(out, [
      [0, 0],
      [Math.max(y0, 0), Math.max(y1, 0)],
      [Math.max(x0, 0), Math.max(x1, 0)],
      [0, 0],
    ]);
  }
  if (x0 < 0 || x1 < 0 || y0 < 0 || y1 < 0) {
    const [m, h, w] = out.shape;
    const top = Math.max(-y0, 0);
    const left = Math.max(-x0, 0);
    out = tf.slice(out, [0, top, left, 0], [m, h - top - Math.max(-y1, 0), w - left - Math.max(-x1, 0), 1]);
  }
  return out;
}

/**
 * upfirdn2d on channel-planar images [N·C, H, W, 1]. `gain` is applied only where `filter` is null (the official
 * identity filter `ones([1, 1])` times gain); a FirFilter carries its gain already.
 */
export function upfirdn2d(x: tf.Tensor4D, filter: FirFilter | null, up: number, down: number, padding: Padding, gain = 1): tf.Tensor4D {
  let out = up > 1 ? insertZeros(x, up) : x;
  out = padOrCrop(out, padding);
  if (filter === null) {
    if (gain !== 1) out = tf.mul(out, gain);
    // The official slice x[:, :, ::down, ::down], written as a strided 1×1 conv (which has a gradient everywhere).
    return down > 1 ? tf.conv2d(out, tf.ones([1, 1, 1, 1]) as tf.Tensor4D, down, 'valid') : out;
  }
  out = tf.conv2d(out, filter.horizontal, [1, down], 'valid');
  return tf.conv2d(out, filter.vertical, [down, 1], 'valid');
}
