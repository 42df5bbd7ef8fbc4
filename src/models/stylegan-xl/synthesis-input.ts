/**
 * StyleGAN3's `SynthesisInput` (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py): Fourier
 * features sin(2π(f·p + φ)) on a grid of `size` pixels at `samplingRate`, for `channels` fixed frequencies f (drawn
 * at init in a disc of radius `bandwidth`) and phases φ, under a per-image rotation + translation predicted from w
 * by an affine layer (t = (r_c, r_s, t_x, t_y), rotation normalised to unit length), composed with the user
 * `transform` buffer; frequencies pushed past the bandwidth by that transform are faded out; a trainable C×C
 * matrix (/√C) mixes the channels.
 *
 * The grid is torch's `affine_grid(diag(size/2/samplingRate), align_corners=False)`: pixel centres at
 * (j + ½ − size/2)/samplingRate. Output NHWC [N, size, size, channels].
 * Weights: `synthesis.input.weight` [C, C], `.affine.*` (w_dim → 4), buffers `.transform` [3, 3], `.freqs` [C, 2],
 * `.phases` [C].
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../../images/codecs/safetensors.js';
import type { SynthesisInputSpec } from './architecture.js';
import { FullyConnected, type FullyConnectedConfig } from './fully-connected.js';

const PREFIX = 'synthesis.input';

function affineConfig(wDim: number): FullyConnectedConfig {
  return { inFeatures: wDim, outFeatures: 4, activation: 'linear', lrMultiplier: 1 };
}

export class SynthesisInput {
  private readonly affine: FullyConnected;
  /** weight / √C, transposed for x · Wᵀ. */
  private readonly mixing: tf.Tensor2D;
  private readonly transform: tf.Tensor2D;
  /** The frequencies' x and y components and the phases, each [1, C]. */
  private readonly freqX: tf.Tensor2D;
  private readonly freqY: tf.Tensor2D;
  private readonly phases: tf.Tensor2D;
  /** Pixel-centre coordinates: x along the width [1, 1, size, 1], y along the height [1, size, 1, 1]. */
  private readonly gridX: tf.Tensor4D;
  private readonly gridY: tf.Tensor4D;

  static weightShapes(spec: SynthesisInputSpec, wDim: number): [string, number[]][] {
    const c = spec.channels;
    return [
      [`${PREFIX}.weight`, [c, c]],
      [`${PREFIX}.transform`, [3, 3]],
      [`${PREFIX}.freqs`, [c, 2]],
      [`${PREFIX}.phases`, [c]],
      ...FullyConnected.weightShapes(`${PREFIX}.affine`, affineConfig(wDim)),
    ];
  }

  constructor(
    readonly spec: SynthesisInputSpec,
    wDim: number,
    weights: TensorMap,
  ) {
    const c = spec.channels;
    const get = (name: string) => weights.get(`${PREFIX}.${name}`)!.values;
    this.affine = new FullyConnected(`${PREFIX}.affine`, affineConfig(wDim), weights);
    this.mixing = tf.tidy(() => tf.transpose(tf.div(tf.tensor2d(get('weight'), [c, c]), Math.sqrt(c))) as tf.Tensor2D);
    this.transform = tf.tensor2d(get('transform'), [3, 3]);
    const freqs = get('freqs');
    this.freqX = tf.tensor2d(
      Float32Array.from({ length: c }, (_, i) => freqs[2 * i]!),
      [1, c],
    );
    this.freqY = tf.tensor2d(
      Float32Array.from({ length: c }, (_, i) => freqs[2 * i + 1]!),
      [1, c],
    );
    this.phases = tf.tensor2d(get('phases'), [1, c]);
    // theta[0][0] = 0.5·size/samplingRate, rounded to float32 as torch stores it, times the base grid (2j+1)/size − 1.
    const scale = Math.fround((0.5 * spec.size) / spec.samplingRate);
    const coordinates = Float32Array.from({ length: spec.size }, (_, j) => scale * Math.fround((2 * j + 1) / spec.size - 1));
    this.gridX = tf.tensor4d(coordinates, [1, 1, spec.size, 1]);
    this.gridY = tf.tensor4d(coordinates, [1, spec.size, 1, 1]);
  }

  /** w [N, wDim] → Fourier features NHWC [N, size, size, C]. */
  apply(w: tf.Tensor2D): tf.Tensor4D {
    const { channels, size, samplingRate, bandwidth } = this.spec;
    const n = w.shape[0];
    const column = (m: tf.Tensor, j: number) => tf.slice(m as tf.Tensor2D, [0, j], [n, 1]);
    // t = affine(w), t' = t / |(r_c, r_s)|.
    const t = this.affine.apply(w);
    const tNorm = tf.div(t, tf.sqrt(tf.sum(tf.square(tf.slice(t, [0, 0], [n, 2])), 1, true))) as tf.Tensor2D;
    const [rc, rs, tx, ty] = [0, 1, 2, 3].map((j) => column(tNorm, j));
    // Rows 0 and 1 of m_r · m_t (inverse rotation, then inverse translation), then · transform.
    const row0 = tf.matMul(tf.concat([rc, tf.neg(rs), tf.add(tf.mul(tf.neg(rc), tx), tf.mul(rs, ty))], 1), this.transform);
    const row1 = tf.matMul(tf.concat([rs, rc, tf.sub(tf.mul(tf.neg(rs), tx), tf.mul(rc, ty))], 1), this.transform);
    // freqs @ transforms[:, :2, :2] and the phase shift freqs @ transforms[:, :2, 2]: each [N, C].
    const fx = tf.add(tf.mul(this.freqX, column(row0, 0)), tf.mul(this.freqY, column(row1, 0)));
    const fy = tf.add(tf.mul(this.freqX, column(row0, 1)), tf.mul(this.freqY, column(row1, 1)));
    const phases = tf.add(this.phases, tf.add(tf.mul(this.freqX, column(row0, 2)), tf.mul(this.freqY, column(row1, 2))));
    const norm = tf.sqrt(tf.add(tf.square(fx), tf.square(fy)));
    const amplitudes = tf.clipByValue(tf.sub(1, tf.div(tf.sub(norm, bandwidth), samplingRate / 2 - bandwidth)), 0, 1);
    const perImage = (m: tf.Tensor) => tf.reshape(m, [n, 1, 1, channels]);
    const phase = tf.add(tf.add(tf.mul(this.gridX, perImage(fx)), tf.mul(this.gridY, perImage(fy))), perImage(phases));
    const features = tf.mul(tf.sin(tf.mul(phase, 2 * Math.PI)), perImage(amplitudes));
    const mixed = tf.matMul(tf.reshape(features, [n * size * size, channels]), this.mixing);
    return tf.reshape(mixed, [n, size, size, channels]);
  }

  dispose(): void {
    this.affine.dispose();
    tf.dispose([this.mixing, this.transform, this.freqX, this.freqY, this.phases, this.gridX, this.gridY]);
  }
}
