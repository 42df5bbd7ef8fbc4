/**
 * VGG16 `features` with exactly torchvision's topology (`pytorch/vision` `torchvision/models/vgg.py`, cfg "D":
 * 13 conv3×3 pad 1 + ReLU, 5 max-pools 2×2/2), in tfjs NHWC. Tensor names follow torchvision's state_dict
 * (`features.<index>.weight` [out, in, 3, 3], `features.<index>.bias` [out]), so ImageNet weights converted by
 * `scripts/convert_weights.py` drop in. `widths` scales the five blocks: [64, 128, 256, 512, 512] is the real
 * network; narrower widths give the seeded stand-in of the same topology for fast CPU runs.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ModelLoadError } from '../../errors/pipeline-errors.js';
import { Rng } from '../../random/rng.js';
import { VGG16_POOL_TAPS, VGG16_RELU_TAPS, type FeatureNetwork, type Vgg16Tap } from './feature-network.js';
import type { TensorMap } from '../codecs/safetensors.js';

export const VGG16_STANDARD_WIDTHS = [64, 128, 256, 512, 512] as const;
/** Convolutions per block in cfg "D". */
const CONVS_PER_BLOCK = [2, 2, 3, 3, 3] as const;

export interface Vgg16Conv {
  /** Index of the conv in torchvision's `features` Sequential. */
  index: number;
  inChannels: number;
  outChannels: number;
  /** Block (0..4) it belongs to; the block's last conv feeds relu<b>_<k> and then pool<b>. */
  block: number;
}

/** The 13 convs with their torchvision indices (conv, relu = index + 1; a pool takes one index). */
export function vgg16Convs(widths: readonly number[]): Vgg16Conv[] {
  if (widths.length !== 5 || widths.some((w) => !Number.isInteger(w) || w <= 0)) {
    throw new ModelLoadError(`vgg16: widths must be 5 positive integers, got [${widths.join(', ')}]`);
  }
  const convs: Vgg16Conv[] = [];
  let index = 0;
  let inChannels = 3;
  CONVS_PER_BLOCK.forEach((count, block) => {
    for (let k = 0; k < count; k++) {
      convs.push({ index, inChannels, outChannels: widths[block]!, block });
      inChannels = widths[block]!;
      index += 2;
    }
    index += 1;
  });
  return convs;
}

/** Expected safetensors names and shapes for given widths (torchvision layout). */
export function vgg16WeightShapes(widths: readonly number[]): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (const conv of vgg16Convs(widths)) {
    shapes.set(`features.${conv.index}.weight`, [conv.outChannels, conv.inChannels, 3, 3]);
    shapes.set(`features.${conv.index}.bias`, [conv.outChannels]);
  }
  return shapes;
}

/**
 * Seeded weights in torchvision's own init for VGG (`_initialize_weights`: kaiming_normal_, mode fan_out, relu;
 * bias 0), drawn from our Rng so TS and the Python bench share them through a safetensors file.
 */
export function seededVgg16Weights(widths: readonly number[], seed: number): TensorMap {
  const rng = new Rng(seed);
  const tensors: TensorMap = new Map();
  for (const conv of vgg16Convs(widths)) {
    const std = Math.sqrt(2 / (conv.outChannels * 9));
    const shape = [conv.outChannels, conv.inChannels, 3, 3];
    tensors.set(`features.${conv.index}.weight`, {
      shape,
      values: rng.normals(
        shape.reduce((a, b) => a * b),
        std,
      ),
    });
    tensors.set(`features.${conv.index}.bias`, { shape: [conv.outChannels], values: new Float32Array(conv.outChannels) });
  }
  return tensors;
}

interface ConvWeights {
  conv: Vgg16Conv;
  /** HWIO filter for tf.conv2d. */
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/** VGG16 features in tfjs; differentiable with respect to its input (weights are constants). */
export class TfVgg16 implements FeatureNetwork {
  readonly differentiable = true;
  private readonly layers: ConvWeights[];

  /** `weights` must already be checked against `vgg16WeightShapes(widths)`. */
  constructor(
    readonly widths: readonly number[],
    weights: TensorMap,
    readonly label: string,
  ) {
    this.layers = vgg16Convs(widths).map((conv) => {
      const w = weights.get(`features.${conv.index}.weight`)!;
      const b = weights.get(`features.${conv.index}.bias`)!;
      // torch OIHW → tf HWIO.
      const filter = tf.tidy(() => tf.tensor4d(w.values, w.shape as [number, number, number, number]).transpose([2, 3, 1, 0]));
      return { conv, filter: filter as tf.Tensor4D, bias: tf.tensor1d(b.values) };
    });
  }

  featuresSync(images: tf.Tensor4D, taps: readonly Vgg16Tap[]): Record<string, tf.Tensor4D> {
    const wanted = new Set<string>(taps);
    const lastBlock = Math.max(
      ...taps.map((tap) => Math.max(VGG16_RELU_TAPS.indexOf(tap as never), VGG16_POOL_TAPS.indexOf(tap as never))),
    );
    const out: Record<string, tf.Tensor4D> = {};
    let x = images;
    for (let i = 0; i < this.layers.length; i++) {
      const { conv, filter, bias } = this.layers[i]!;
      if (conv.block > lastBlock) break;
      // Not tf.fused.conv2d: its custom gradient always computes the filter gradient, which wasm has no kernel for.
      x = tf.relu(tf.add(tf.conv2d(x, filter, 1, 'same'), bias)) as tf.Tensor4D;
      const endOfBlock = this.layers[i + 1]?.conv.block !== conv.block;
      if (!endOfBlock) continue;
      if (wanted.has(VGG16_RELU_TAPS[conv.block]!)) out[VGG16_RELU_TAPS[conv.block]!] = x;
      if (conv.block === lastBlock && !wanted.has(VGG16_POOL_TAPS[conv.block]!)) break;
      if (x.shape[1] < 2 || x.shape[2] < 2) {
        // The size is the image size or evaluate's `perceptualSize`: a config choice, so never retried.
        throw new ConfigError(
          `${this.label}: a ${images.shape[1]}×${images.shape[2]} input is too small for pool${conv.block + 1}; use larger images or perceptualSize`,
        );
      }
      x = tf.maxPool(x, 2, 2, 'valid');
      if (wanted.has(VGG16_POOL_TAPS[conv.block]!)) out[VGG16_POOL_TAPS[conv.block]!] = x;
    }
    return out;
  }

  async features(images: tf.Tensor4D, taps: readonly Vgg16Tap[]): Promise<Record<string, tf.Tensor4D>> {
    // Keep only the requested taps alive; every intermediate is freed by tidy.
    return tf.tidy(() => this.featuresSync(images, taps));
  }

  dispose(): void {
    for (const layer of this.layers) {
      layer.filter.dispose();
      layer.bias.dispose();
    }
  }
}
