/**
 * StyleGAN-XL's generator in tfjs (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py
 * `Generator` / `SuperresGenerator`): the mapping network (z, class → ws) and the synthesis network (ws → image),
 * as an image-generator plug-in (src/images/generators/generator.ts) whose latents are w: one w per image,
 * repeated to all num_ws layers. `synthesizeWs` takes every layer's w instead.
 *
 * `synthesize` returns the synthesis output as the official code does, unclamped (nominally in [-1, 1]; the official
 * projector computes its loss on it unclamped); `generate` clamps to [-1, 1], as the official image writers do
 * before quantising.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../../images/codecs/safetensors.js';
import type { ImageGenerator } from '../../images/generators/generator.js';
import type { StyleGanXlArchitecture } from './architecture.js';
import { MappingNetwork } from './mapping-network.js';
import { SynthesisNetwork } from './synthesis-network.js';

/** Every tensor a weights file must hold (the official G_ema state_dict names), with its shape. */
export function styleganXlWeightShapes(architecture: StyleGanXlArchitecture): Map<string, number[]> {
  return new Map([...MappingNetwork.weightShapes(architecture), ...SynthesisNetwork.weightShapes(architecture)]);
}

export class StyleGanXlGenerator implements ImageGenerator {
  readonly differentiable = true;
  readonly latentDim: number;
  readonly height: number;
  readonly width: number;
  readonly mapping: MappingNetwork;
  readonly synthesis: SynthesisNetwork;

  /** `weights` must already be checked against `styleganXlWeightShapes(architecture)`. */
  constructor(
    readonly architecture: StyleGanXlArchitecture,
    weights: TensorMap,
    readonly label: string,
  ) {
    this.latentDim = architecture.wDim;
    this.height = this.width = architecture.imgResolution;
    this.mapping = new MappingNetwork(architecture, weights);
    this.synthesis = new SynthesisNetwork(architecture, weights);
  }

  get numWs(): number {
    return this.synthesis.numWs;
  }

  /** Every layer's w, [N, numWs, wDim] → NHWC images. */
  synthesizeWs(ws: tf.Tensor3D): tf.Tensor4D {
    return this.synthesis.synthesize(ws);
  }

  /** One w per image [N, wDim], broadcast to all layers → NHWC images. */
  synthesize(latents: tf.Tensor2D): tf.Tensor4D {
    const [n, wDim] = latents.shape;
    if (wDim !== this.latentDim) throw new RangeError(`${this.label}: latents have ${wDim} columns, w_dim is ${this.latentDim}`);
    return tf.tidy(() => this.synthesis.synthesize(tf.tile(tf.reshape(latents, [n, 1, wDim]), [1, this.numWs, 1]) as tf.Tensor3D));
  }

  async generate(latents: tf.Tensor2D): Promise<tf.Tensor4D> {
    return tf.tidy(() => tf.clipByValue(this.synthesize(latents), -1, 1));
  }

  dispose(): void {
    this.mapping.dispose();
    this.synthesis.dispose();
  }
}
