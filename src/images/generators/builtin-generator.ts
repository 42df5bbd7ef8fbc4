/**
 * The built-in generator: a small convolutional synthesis network (DCGAN-style, Radford et al. 2016) that maps a
 * 512-d latent to an RGB image, with seeded weights. It stands in for StyleGAN-XL's synthesis network where no real
 * weights exist; random latents give varied, smooth, structured images because every stage upsamples before its
 * 3×3 conv, so the 4×4 latent-dependent base map becomes coloured blobs and edges rather than pixel noise.
 *
 * Topology (NCHW names, PyTorch semantics so `bench/inversion_torch.py` and the fixtures run the same net):
 *   fc: Linear(latentDim → C0·4·4) → view(N, C0, 4, 4) → LeakyReLU(0.2)
 *   stage i: Upsample(×2, nearest) → Conv3×3(C_i → C_{i+1}, pad 1) → LeakyReLU(0.2)     (until `resolution`)
 *   to_rgb: Conv1×1(C_last → 3) → tanh
 * Nearest upsampling, not bilinear: tfjs's ResizeBilinear gradient ignores half-pixel centres, so it would not be
 * the gradient of torch's `interpolate(bilinear, align_corners=False)`.
 * Safetensors layout: `fc.weight` [C0·16, latentDim], `fc.bias`, `convs.<i>.weight` [C_{i+1}, C_i, 3, 3],
 * `convs.<i>.bias`, `to_rgb.weight` [3, C_last, 1, 1], `to_rgb.bias` [3].
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { Rng } from '../../random/rng.js';
import type { ImageGenerator } from './generator.js';
import type { TensorMap } from '../codecs/safetensors.js';

export interface BuiltinGeneratorShape {
  latentDim: number;
  /** Output height = width; a power of two ≥ 8. */
  resolution: number;
  /** C0 … C_stages: one width for the 4×4 base and one per upsampling stage. */
  channels: number[];
}

const DEFAULT_CHANNELS = [64, 48, 32, 24, 16, 12, 8, 8];
const LEAKY_SLOPE = 0.2;
/** Weight of the random (non-smooth) part of each seeded 3×3 filter. */
const SPATIAL_NOISE = 0.3;
/** to_rgb gain: large enough to use tanh's range, small enough that images keep shading instead of flat primaries. */
const TO_RGB_GAIN = 3;

/** Default widths for a resolution: narrowing as the maps grow so 64 px costs ≈ 27 M multiply-adds per image. */
export function defaultGeneratorShape(resolution: number, latentDim = 512): BuiltinGeneratorShape {
  return { latentDim, resolution, channels: DEFAULT_CHANNELS.slice(0, stageCount(resolution) + 1) };
}

function stageCount(resolution: number): number {
  const stages = Math.log2(resolution / 4);
  if (!Number.isInteger(stages) || stages < 1 || stages >= DEFAULT_CHANNELS.length) {
    throw new ConfigError(`builtin generator: resolution ${resolution} must be a power of two from 8 to 512`);
  }
  return stages;
}

/** Expected names and shapes of the weights file. */
export function generatorWeightShapes(shape: BuiltinGeneratorShape): Map<string, number[]> {
  const { latentDim, channels } = shape;
  if (channels.length !== stageCount(shape.resolution) + 1) {
    throw new ConfigError(
      `builtin generator: ${channels.length} channel widths given, resolution ${shape.resolution} needs ${stageCount(shape.resolution) + 1}`,
    );
  }
  const shapes = new Map<string, number[]>([
    ['fc.weight', [channels[0]! * 16, latentDim]],
    ['fc.bias', [channels[0]! * 16]],
  ]);
  for (let i = 0; i + 1 < channels.length; i++) {
    shapes.set(`convs.${i}.weight`, [channels[i + 1]!, channels[i]!, 3, 3]);
    shapes.set(`convs.${i}.bias`, [channels[i + 1]!]);
  }
  shapes.set('to_rgb.weight', [3, channels[channels.length - 1]!, 1, 1]);
  shapes.set('to_rgb.bias', [3]);
  return shapes;
}

/**
 * Seeded weights. Each 3×3 filter is a random channel mix times a fixed smooth spatial profile ([1, 2, 1] ⊗ [1, 2, 1],
 * unit sum) plus a weaker random spatial part: pure He-normal filters make pixel-scale noise, the smooth profile
 * makes every stage mostly interpolate, so structure comes from the latent-dependent base map. Scale follows He
 * init for leaky ReLU (gain √(2/(1+0.2²)) over √fan-in); biases are 0 except small to_rgb colour offsets.
 */
export function seededGeneratorWeights(shape: BuiltinGeneratorShape, seed: number): TensorMap {
  const rng = new Rng(seed);
  const gain = Math.sqrt(2 / (1 + LEAKY_SLOPE ** 2));
  const profile = [1, 2, 1].flatMap((a) => [1, 2, 1].map((b) => (a * b) / 16)); // unit sum: keeps smooth maps' scale
  const tensors: TensorMap = new Map();
  for (const [name, dims] of generatorWeightShapes(shape)) {
    const count = dims.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    if (name.endsWith('.bias')) {
      values = name === 'to_rgb.bias' ? rng.normals(count, 0.2) : new Float32Array(count);
    } else if (dims.length === 4 && dims[2] === 3) {
      const scale = gain / Math.sqrt(dims[1]!);
      values = new Float32Array(count);
      for (let pair = 0; pair < count / 9; pair++) {
        const mix = rng.normal();
        for (let k = 0; k < 9; k++) values[pair * 9 + k] = scale * (mix * profile[k]! + (SPATIAL_NOISE * rng.normal()) / 9);
      }
    } else {
      const fanIn = dims.slice(1).reduce((a, b) => a * b, 1);
      values = rng.normals(count, (name === 'to_rgb.weight' ? TO_RGB_GAIN : gain) / Math.sqrt(fanIn));
    }
    tensors.set(name, { shape: dims, values });
  }
  return tensors;
}

/** The built-in generator in tfjs (differentiable with respect to the latents). */
export class BuiltinGenerator implements ImageGenerator {
  readonly differentiable = true;
  readonly latentDim: number;
  readonly height: number;
  readonly width: number;
  private readonly fcWeight: tf.Tensor2D;
  private readonly fcBias: tf.Tensor1D;
  private readonly convs: { filter: tf.Tensor4D; bias: tf.Tensor1D }[];
  private readonly toRgb: { filter: tf.Tensor4D; bias: tf.Tensor1D };

  /** `weights` must already be checked against `generatorWeightShapes(shape)`. */
  constructor(
    readonly shape: BuiltinGeneratorShape,
    weights: TensorMap,
    readonly label: string,
  ) {
    this.latentDim = shape.latentDim;
    this.height = this.width = shape.resolution;
    const get = (name: string) => weights.get(name)!;
    // torch Linear stores [out, in]; y = x Wᵀ + b.
    this.fcWeight = tf.tidy(() => tf.tensor2d(get('fc.weight').values, get('fc.weight').shape as [number, number]).transpose());
    this.fcBias = tf.tensor1d(get('fc.bias').values);
    const filterOf = (name: string) =>
      tf.tidy(() =>
        tf.tensor4d(get(name).values, get(name).shape as [number, number, number, number]).transpose([2, 3, 1, 0]),
      ) as tf.Tensor4D;
    this.convs = shape.channels.slice(1).map((_, i) => ({
      filter: filterOf(`convs.${i}.weight`),
      bias: tf.tensor1d(get(`convs.${i}.bias`).values),
    }));
    this.toRgb = { filter: filterOf('to_rgb.weight'), bias: tf.tensor1d(get('to_rgb.bias').values) };
  }

  synthesize(latents: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const n = latents.shape[0];
      const base = tf.add(tf.matMul(latents, this.fcWeight), this.fcBias);
      // torch view(N, C0, 4, 4) is channel-major; move channels last for NHWC.
      let x = tf.leakyRelu(tf.transpose(tf.reshape(base, [n, this.shape.channels[0]!, 4, 4]), [0, 2, 3, 1]), LEAKY_SLOPE) as tf.Tensor4D;
      for (const conv of this.convs) {
        x = upsampleNearest2x(x);
        x = tf.leakyRelu(tf.add(tf.conv2d(x, conv.filter, 1, 'same'), conv.bias), LEAKY_SLOPE) as tf.Tensor4D;
      }
      return tf.tanh(tf.add(tf.conv2d(x, this.toRgb.filter, 1, 'valid'), this.toRgb.bias)) as tf.Tensor4D;
    });
  }

  async generate(latents: tf.Tensor2D): Promise<tf.Tensor4D> {
    return this.synthesize(latents);
  }

  dispose(): void {
    tf.dispose([this.fcWeight, this.fcBias, this.toRgb.filter, this.toRgb.bias, ...this.convs.flatMap((c) => [c.filter, c.bias])]);
  }
}

/**
 * torch `F.interpolate(x, scale_factor=2, mode='nearest')`: each pixel repeated into a 2×2 block, the same values
 * as `tf.image.resizeNearestNeighbor(x, [2h, 2w])`. Written as a broadcast so that its gradient is a plain sum:
 * tfjs 4.22's cpu kernel ResizeNearestNeighborGrad is wrong for batches of more than one image (docs/compute.md §1),
 * which made inversion gradients wrong on that backend.
 */
function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const blocks = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1]));
  return tf.reshape(blocks, [n, h * 2, w * 2, c]);
}
