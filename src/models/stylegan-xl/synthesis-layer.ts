/**
 * StyleGAN3's `SynthesisLayer` (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py): styles
 * s = affine(w); a modulated, demodulated convolution (`modulated_conv2d`, padding kernel−1) of the input times the
 * input gain rsqrt(magnitude_ema); then `filtered_lrelu` (bias, up-filter, leaky ReLU with gain √2 and clamp,
 * down-filter). The ToRGB layer (1×1 conv) neither demodulates nor activates, and scales its styles by
 * 1/√(in·k²). Resampling factors, filters and padding follow from the spec as in the official `init_upfirdn`.
 *
 * The official code folds styles and demodulation into per-image weights and runs one grouped conv; tfjs has no
 * grouped conv, so this runs the same arithmetic as StyleGAN2's unfused path: scale the input channels by s·gain,
 * convolve with the (pre-normalised) weight, scale the output channels by the demodulation coefficients
 * dcoef[n, o] = rsqrt(Σ_i s[n, i]² Σ_k W[o, i, k]² + 1e-8). Both pre-normalisations are kept: W to unit RMS per
 * output channel, and s by the RMS of the whole style batch (which only the 1e-8 in dcoef can see).
 *
 * Weights: `<name>.weight` [O, I, k, k], `.bias` [O], `.magnitude_ema` [], `.affine.*` (w_dim → I), and the FIR
 * filter buffers `.up_filter` / `.down_filter` [taps] where the layer resamples (checked against the redesign).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../../images/codecs/safetensors.js';
import type { SynthesisLayerSpec } from './architecture.js';
import { filteredLrelu, type FilteredLreluParams } from './filtered-lrelu.js';
import { FullyConnected, type FullyConnectedConfig } from './fully-connected.js';
import { designLowpassFilter } from './lowpass-filter.js';
import { disposeFirFilter, firFilter, type Padding } from './upfirdn2d.js';

/** What `init_upfirdn` derives from a layer's spec. */
export interface Resampling {
  up: number;
  down: number;
  upTaps: Float32Array | null;
  downTaps: Float32Array | null;
  padding: Padding;
}

export function resamplingOf(spec: SynthesisLayerSpec): Resampling {
  const tmpSamplingRate = Math.max(spec.inSamplingRate, spec.outSamplingRate) * (spec.isTorgb ? 1 : spec.lreluUpsampling);
  const up = Math.round(tmpSamplingRate / spec.inSamplingRate);
  const down = Math.round(tmpSamplingRate / spec.outSamplingRate);
  if (spec.inSamplingRate * up !== tmpSamplingRate || spec.outSamplingRate * down !== tmpSamplingRate) {
    throw new RangeError(`${spec.name}: sampling rates ${spec.inSamplingRate} → ${spec.outSamplingRate} do not divide ${tmpSamplingRate}`);
  }
  const upTaps = up > 1 && !spec.isTorgb ? spec.filterSize * up : 1;
  const downTaps = down > 1 && !spec.isTorgb ? spec.filterSize * down : 1;
  let padTotal = (spec.outSize - 1) * down + 1;
  padTotal -= (spec.inSize + spec.convKernel - 1) * up;
  padTotal += upTaps + downTaps - 2;
  // Shift sample locations according to the symmetric interpretation (StyleGAN3 paper, appendix C.3).
  const padLo = Math.floor((padTotal + up) / 2);
  const padHi = padTotal - padLo;
  return {
    up,
    down,
    upTaps: designLowpassFilter(upTaps, spec.inCutoff, spec.inHalfWidth * 2, tmpSamplingRate),
    downTaps: designLowpassFilter(downTaps, spec.outCutoff, spec.outHalfWidth * 2, tmpSamplingRate),
    padding: [padLo, padHi, padLo, padHi],
  };
}

function affineConfig(spec: SynthesisLayerSpec, wDim: number): FullyConnectedConfig {
  return { inFeatures: wDim, outFeatures: spec.inChannels, activation: 'linear', lrMultiplier: 1 };
}

export class SynthesisLayer {
  readonly resampling: Resampling;
  private readonly affine: FullyConnected;
  /** The conv weight NHWC-ready [k, k, I, O], pre-normalised per output channel unless ToRGB. */
  private readonly filter: tf.Tensor4D;
  /** Σ_k W[o, i, k]² transposed, [I, O], for the demodulation coefficients. */
  private readonly filterEnergy: tf.Tensor2D;
  private readonly bias: tf.Tensor1D;
  private readonly inputGain: number;
  private readonly lrelu: FilteredLreluParams;

  static weightShapes(spec: SynthesisLayerSpec, wDim: number): [string, number[]][] {
    const k = spec.convKernel;
    const { upTaps, downTaps } = resamplingOf(spec);
    const shapes: [string, number[]][] = [
      [`synthesis.${spec.name}.weight`, [spec.outChannels, spec.inChannels, k, k]],
      [`synthesis.${spec.name}.bias`, [spec.outChannels]],
      [`synthesis.${spec.name}.magnitude_ema`, []],
      ...FullyConnected.weightShapes(`synthesis.${spec.name}.affine`, affineConfig(spec, wDim)),
    ];
    if (upTaps) shapes.push([`synthesis.${spec.name}.up_filter`, [upTaps.length]]);
    if (downTaps) shapes.push([`synthesis.${spec.name}.down_filter`, [downTaps.length]]);
    return shapes;
  }

  constructor(
    readonly spec: SynthesisLayerSpec,
    wDim: number,
    weights: TensorMap,
  ) {
    const prefix = `synthesis.${spec.name}`;
    const k = spec.convKernel;
    const { inChannels: i, outChannels: o } = spec;
    this.resampling = resamplingOf(spec);
    this.affine = new FullyConnected(`${prefix}.affine`, affineConfig(spec, wDim), weights);
    [this.filter, this.filterEnergy] = tf.tidy(() => {
      let weight = tf.tensor4d(weights.get(`${prefix}.weight`)!.values, [o, i, k, k]);
      if (!spec.isTorgb) weight = tf.mul(weight, tf.rsqrt(tf.mean(tf.square(weight), [1, 2, 3], true)));
      return [tf.transpose(weight, [2, 3, 1, 0]) as tf.Tensor4D, tf.transpose(tf.sum(tf.square(weight), [2, 3])) as tf.Tensor2D];
    });
    this.bias = tf.tensor1d(weights.get(`${prefix}.bias`)!.values);
    this.inputGain = 1 / Math.sqrt(weights.get(`${prefix}.magnitude_ema`)!.values[0]!);
    const { up, down, upTaps, downTaps, padding } = this.resampling;
    this.lrelu = {
      upFilter: firFilter(upTaps, up * up),
      downFilter: firFilter(downTaps, 1),
      up,
      down,
      padding,
      gain: spec.isTorgb ? 1 : Math.SQRT2,
      slope: spec.isTorgb ? 1 : 0.2,
      clamp: spec.convClamp,
    };
  }

  /** x NHWC [N, inSize, inSize, I], w [N, wDim] → NHWC [N, outSize, outSize, O]. */
  apply(x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
    const { isTorgb, inChannels } = this.spec;
    const n = x.shape[0];
    const k = this.spec.convKernel;
    let styles = this.affine.apply(w);
    if (isTorgb) styles = tf.mul(styles, 1 / Math.sqrt(inChannels * k * k));
    else styles = tf.mul(styles, tf.rsqrt(tf.mean(tf.square(styles))));
    const modulated = tf.mul(x, tf.reshape(tf.mul(styles, this.inputGain), [n, 1, 1, inChannels])) as tf.Tensor4D;
    const padded =
      k > 1
        ? tf.pad(modulated, [
            [0, 0],
            [k - 1, k - 1],
            [k - 1, k - 1],
            [0, 0],
          ])
        : modulated;
    let y: tf.Tensor4D = tf.conv2d(padded, this.filter, 1, 'valid');
    if (!isTorgb) {
      const dcoefs = tf.rsqrt(tf.add(tf.matMul(tf.square(styles), this.filterEnergy), 1e-8));
      y = tf.mul(y, tf.reshape(dcoefs, [n, 1, 1, this.spec.outChannels]));
    }
    return filteredLrelu(y, this.bias, this.lrelu);
  }

  dispose(): void {
    this.affine.dispose();
    tf.dispose([this.filter, this.filterEnergy, this.bias]);
    disposeFirFilter(this.lrelu.upFilter);
    disposeFirFilter(this.lrelu.downFilter);
  }
}
