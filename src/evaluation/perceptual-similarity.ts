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

/** Row-wise cosine similarity of two [N, …] tensors, flattened per item. */
export function rowCosine(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const n = a.shape[0]!;
    const fa = tf.reshape(a, [n, -1]);
    const fb = tf.reshape(b, [n, -1]);
    const dot = tf.sum(tf.mul(fa, fb), 1);
    const norms = tf.mul(tf.norm(fa, 2, 1), tf.norm(fb, 2, 1));
    // An all-zero activation map has no direction: similarity 0 (as for latents), never NaN in a mean or t-test.
    return tf.where(tf.greater(norms, 0), tf.div(dot, tf.maximum(norms, 1e-30)), tf.zerosLike(dot)) as tf.Tensor1D;
  });
}

/** Per-item cosine similarity at each of the five depths, keyed by metric name. */
export async function perceptualSimilarity(
  net: FeatureNetwork,
  stimuli: tf.Tensor4D,
  reconstructions: tf.Tensor4D,
  size = 224,
): Promise<Record<string, Float32Array>> {
  const inputA = imagenetPreprocess(stimuli, size);
  const inputB = imagenetPreprocess(reconstructions, size);
  const featuresA = await net.features(inputA, VGG16_POOL_TAPS);
  const featuresB = await net.features(inputB, VGG16_POOL_TAPS);
  const out: Record<string, Float32Array> = {};
  for (const [metric, tap] of PERCEPTUAL_METRICS) {
    const cosine = rowCosine(featuresA[tap]!, featuresB[tap]!);
    out[metric] = (await cosine.data()) as Float32Array;
    cosine.dispose();
  }
  tf.dispose([inputA, inputB, ...Object.values(featuresA), ...Object.values(featuresB)]);
  return out;
}
