/**
 * StyleGAN's `FullyConnectedLayer` (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py): the
 * stored weight [out, in] is scaled at run time by lr_multiplier/√in and the bias by lr_multiplier (equalized
 * learning rate), then `linear`: x·Wᵀ + b, or `lrelu`: bias_act's leaky ReLU (slope 0.2) of x·Wᵀ + b times √2.
 * Weights: `<prefix>.weight` [out, in], `<prefix>.bias` [out].
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../../images/codecs/safetensors.js';

export interface FullyConnectedConfig {
  inFeatures: number;
  outFeatures: number;
  activation: 'linear' | 'lrelu';
  lrMultiplier: number;
}

const LRELU_SLOPE = 0.2;
const LRELU_GAIN = Math.SQRT2;

export class FullyConnected {
  /** The effective weight, transposed: [in, out]. */
  private readonly weight: tf.Tensor2D;
  private readonly bias: tf.Tensor1D;

  static weightShapes(prefix: string, config: FullyConnectedConfig): [string, number[]][] {
    return [
      [`${prefix}.weight`, [config.outFeatures, config.inFeatures]],
      [`${prefix}.bias`, [config.outFeatures]],
    ];
  }

  /** `weights` must hold this layer's tensors with the shapes of `weightShapes`. */
  constructor(
    prefix: string,
    readonly config: FullyConnectedConfig,
    weights: TensorMap,
  ) {
    const weight = weights.get(`${prefix}.weight`)!;
    const weightGain = config.lrMultiplier / Math.sqrt(config.inFeatures);
    this.weight = tf.tidy(
      () => tf.transpose(tf.mul(tf.tensor2d(weight.values, [config.outFeatures, config.inFeatures]), weightGain)) as tf.Tensor2D,
    );
    this.bias = tf.tidy(() => tf.mul(tf.tensor1d(weights.get(`${prefix}.bias`)!.values), config.lrMultiplier));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    const y = tf.add(tf.matMul(x, this.weight), this.bias) as tf.Tensor2D;
    return this.config.activation === 'lrelu' ? tf.mul(tf.leakyRelu(y, LRELU_SLOPE), LRELU_GAIN) : y;
  }

  dispose(): void {
    tf.dispose([this.weight, this.bias]);
  }
}
