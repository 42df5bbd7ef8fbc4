/**
 * StyleGAN-XL's synthesis network (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py
 * `SynthesisNetwork.forward`, which SuperresGenerator reuses with its head's layers appended): ws[:, 0] drives the
 * Fourier-feature input, ws[:, i + 1] the i-th layer, and the ToRGB output is scaled by `outputScale`.
 * There is no noise input in this architecture, so the official `noise_mode` ('const' here) changes nothing.
 * Output NHWC [N, H, W, imgChannels], nominally in [-1, 1] (not clamped: the official generator is not).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../../images/codecs/safetensors.js';
import { numWs, type StyleGanXlArchitecture } from './architecture.js';
import { SynthesisInput } from './synthesis-input.js';
import { SynthesisLayer } from './synthesis-layer.js';

type SynthesisArchitecture = Pick<StyleGanXlArchitecture, 'wDim' | 'input' | 'layers' | 'outputScale'>;

export class SynthesisNetwork {
  readonly numWs: number;
  readonly input: SynthesisInput;
  readonly layers: SynthesisLayer[];

  static weightShapes(a: SynthesisArchitecture): [string, number[]][] {
    return [...SynthesisInput.weightShapes(a.input, a.wDim), ...a.layers.flatMap((spec) => SynthesisLayer.weightShapes(spec, a.wDim))];
  }

  constructor(
    readonly architecture: SynthesisArchitecture,
    weights: TensorMap,
  ) {
    this.numWs = numWs(architecture);
    this.input = new SynthesisInput(architecture.input, architecture.wDim, weights);
    this.layers = architecture.layers.map((spec) => new SynthesisLayer(spec, architecture.wDim, weights));
  }

  /** ws [N, numWs, wDim] → images NHWC. Differentiable with respect to ws. */
  synthesize(ws: tf.Tensor3D): tf.Tensor4D {
    const { wDim, outputScale } = this.architecture;
    if (ws.shape[1] !== this.numWs || ws.shape[2] !== wDim) {
      throw new RangeError(`synthesis: ws must be [N, ${this.numWs}, ${wDim}], got [${ws.shape}]`);
    }
    return tf.tidy(() => {
      const perLayer = tf.unstack(ws, 1) as tf.Tensor2D[];
      let x = this.input.apply(perLayer[0]!);
      this.layers.forEach((layer, i) => {
        x = layer.apply(x, perLayer[i + 1]!);
      });
      return outputScale === 1 ? x : tf.mul(x, outputScale);
    });
  }

  dispose(): void {
    this.input.dispose();
    for (const layer of this.layers) layer.dispose();
  }
}
