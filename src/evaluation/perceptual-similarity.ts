/**
 * "Perceptual similarity" at VGG16 depths 2/16, 4/16, 7/16, 10/16, 13/16 (docs/algorithms.md §4; Dado et al.'s
 * Brain2GAN `feature_extraction.ipynb`): images go through Resize(size) + ImageNet Normalize, then VGG16
 * `features[:5]`, `[:10]`, `[:17]`, `[:24]`, `[:31]` (the outputs of pool1 … pool5); the score per item and depth is
 * the cosine similarity of the flattened activations of stimulus and reconstruction.
 *
 * Resize: bilinear with half-pixel centres (`tf.image.resizeBilinear(…, halfPixelCenters=true)`), which equals
 * torch `interpolate(mode='bilinear', align_corners=False)` and torchvision `Resize` when upsampling (our
 * generator's 64 px → 224). Downsampling skips torchvision's antialias filter.
 */
import * as tf from '@tensorflow/tfjs';
import { VGG16_POOL_TAPS, type FeatureNetwork } from '../images/feature-nets/feature-network.js';

/** Metric names in Table 2 order, paired with the pool tap that defines them. */
export const PERCEPTUAL_METRICS = [
  ['vgg-2/16', 'pool1'],
  ['vgg-4/16', 'pool2'],
  ['vgg-7/16', 'pool3'],
  ['vgg-10/16', 'pool4'],
  ['vgg-13/16', 'pool5'],
] as const;

/** torchvision `transforms.Normalize` ImageNet statistics. */
const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** [-1, 1] NHWC images → resized to size×size, mapped to [0, 1] and ImageNet-normalised. */
export function imagenetPreprocess(images: tf.Tensor4D, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width] = images.shape;
    const resized = height === size && width === size ? images : tf.image.resizeBilinear(images, [size, size], false, true);
    const unit = tf.mul(tf.add(resized, 1), 0.5);
    return tf.div(tf.sub(unit, tf.tensor1d(IMAGENET_MEAN)), tf.tensor1d(IMAGENET_STD)) as tf.Tensor4D;
  });
}

/** Terms per partial sum in rowCosine. */
const BLOCK = 1024;

/**
 * Row-wise cosine similarity of two [N, …] tensors, flattened per item, accumulated in float64 (JS numbers): a pool1
 * row has 64·112·112 ≈ 0.8 M products, and a float32 `tf.sum` of that many non-negative terms drifted from the
 * float64 reference by up to 1e-4 (wasm backend; fixtures/images/cosine_accumulation.json,
 * scripts/fixtures/images/make_cosine_accumulation.py). cos = a·b / √(‖a‖²·‖b‖²), so a map against itself gives exactly 1.
 */
export async function rowCosine(a: tf.Tensor, b: tf.Tensor): Promise<Float64Array> {
  const n = a.shape[0]!;
  if (b.shape[0] !== n || a.size !== b.size) {
    throw new RangeError(`rowCosine: shapes [${a.shape}] and [${b.shape}] differ`);
  }
  const [va, vb] = (await Promise.all([a.data(), b.data()])) as [Float32Array, Float32Array];
  const width = n === 0 ? 0 : va.length / n;
  const out = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    let dot = 0;
    let aa = 0;
    let bb = 0;
    // Blocked summation: rounding grows with BLOCK + width/BLOCK terms rather than width (pool1 against numpy:
    // 1.6e-14, 2e-13 with one running sum).
    for (let start = row * width, end = start + width; start < end; start += BLOCK) {
      let blockDot = 0;
      let blockA = 0;
      let blockB = 0;
      for (let k = start, stop = Math.min(start + BLOCK, end); k < stop; k++) {
        const x = va[k]!;
        const y = vb[k]!;
        blockDot += x * y;
        blockA += x * x;
        blockB += y * y;
      }
      dot += blockDot;
      aa += blockA;
      bb += blockB;
    }
    // An all-zero activation map has no direction: similarity 0 (as for latents), never NaN in a mean or t-test.
    out[row] = aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
  }
  return out;
}

/** Per-item cosine similarity at each of the five depths, keyed by metric name. */
export async function perceptualSimilarity(
  net: FeatureNetwork,
  stimuli: tf.Tensor4D,
  reconstructions: tf.Tensor4D,
  size = 224,
): Promise<Record<string, Float64Array>> {
  const inputA = imagenetPreprocess(stimuli, size);
  const inputB = imagenetPreprocess(reconstructions, size);
  const featuresA = await net.features(inputA, VGG16_POOL_TAPS);
  const featuresB = await net.features(inputB, VGG16_POOL_TAPS);
  const out: Record<string, Float64Array> = {};
  for (const [metric, tap] of PERCEPTUAL_METRICS) out[metric] = await rowCosine(featuresA[tap]!, featuresB[tap]!);
  tf.dispose([inputA, inputB, ...Object.values(featuresA), ...Object.values(featuresB)]);
  return out;
}
