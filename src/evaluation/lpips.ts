/**
 * LPIPS, VGG variant, as defined by the `lpips` 0.1.4 package (`richzhang/PerceptualSimilarity` `lpips/lpips.py`,
 * version 0.1; docs/algorithms.md §3): inputs in [-1, 1] → ScalingLayer → VGG16 taps relu1_2 … relu5_3 →
 * channel-wise unit normalisation → squared difference → non-negative 1×1 linear weights → spatial mean → sum over
 * taps. Without linear weights it is the package's `lpips=False` baseline (a plain sum over channels).
 * Everything is tf ops, so the same code is the inversion loss (differentiable) and the evaluation metric.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../errors/pipeline-errors.js';
import { VGG16_RELU_TAPS, type FeatureNetwork } from '../images/feature-nets/feature-network.js';
import { loadWeightsFile, type TensorMap } from '../images/codecs/safetensors.js';

/** `lpips.ScalingLayer`: ImageNet mean/std re-expressed for [-1, 1] inputs (shift = 2·mean − 1, scale = 2·std). */
const SCALING_SHIFT = [-0.03, -0.088, -0.188];
const SCALING_SCALE = [0.458, 0.448, 0.45];
/** `lpips.normalize_tensor` epsilon, added outside the square root. */
const NORMALIZE_EPS = 1e-10;

/** The linear head: one non-negative weight per channel of each tap, or none (`lpips=False`). */
export interface LpipsHead {
  readonly label: string;
  /** `lin0` … `lin4` weights as [C_l] vectors; null for the `lpips=False` variant. */
  readonly linear: readonly tf.Tensor1D[] | null;
}

/** The `lpips=False` variant: unit weights (sum over channels), labelled as such in every report. */
export const UNWEIGHTED_LPIPS: LpipsHead = { label: 'lpips=False (no linear weights: channel sum)', linear: null };

/** Names and shapes of the `lpips` package's VGG linear weights (`lin{l}.model.1.weight`, [1, C_l, 1, 1]). */
export function lpipsWeightShapes(widths: readonly number[]): Map<string, number[]> {
  return new Map(widths.map((c, l) => [`lin${l}.model.1.weight`, [1, c, 1, 1]]));
}

/** Build a head from checked tensors; negative weights are refused (training clamps them to ≥ 0). */
export function lpipsHeadFromTensors(tensors: TensorMap, widths: readonly number[], label: string): LpipsHead {
  const linear = widths.map((_, l) => {
    const name = `lin${l}.model.1.weight`;
    const values = tensors.get(name)!.values;
    const negative = values.findIndex((v) => v < 0);
    if (negative >= 0) {
      throw new ModelLoadError(`${label}: tensor "${name}" has a negative weight ${values[negative]} at channel ${negative}`);
    }
    return tf.tensor1d(values);
  });
  return { label, linear };
}

/** Load LPIPS linear weights from safetensors (names as in `lpips/weights/v0.1/vgg.pth`). */
export function loadLpipsHead(path: string, widths: readonly number[], sha256?: string): LpipsHead {
  const tensors = loadWeightsFile(path, lpipsWeightShapes(widths), sha256);
  return lpipsHeadFromTensors(tensors, widths, `lpips linear weights ${path}${sha256 ? ` (sha256 ${sha256.slice(0, 12)})` : ''}`);
}

/** `lpips.ScalingLayer` on NHWC images in [-1, 1]. */
export function lpipsScaling(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.sub(images, tf.tensor1d(SCALING_SHIFT)), tf.tensor1d(SCALING_SCALE)) as tf.Tensor4D);
}

/**
 * Unit-normalise over channels at every pixel: f / (√Σf² + 1e-10). The sum is floored at 1e-20 before the root so an
 * all-zero pixel (common after ReLU in narrow stand-ins) has gradient 0 instead of 0·∞ = NaN; values are unchanged
 * wherever √Σf² ≥ 1e-10.
 */
function normalizeChannels(features: tf.Tensor4D): tf.Tensor4D {
  const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(features), -1, true), 1e-20));
  return tf.div(features, tf.add(norm, NORMALIZE_EPS));
}

/** LPIPS per item from already extracted taps of the two image batches (items paired by index). */
export function lpipsFromFeatures(
  featuresA: Record<string, tf.Tensor4D>,
  featuresB: Record<string, tf.Tensor4D>,
  head: LpipsHead,
): tf.Tensor1D {
  return tf.tidy(() => {
    let total: tf.Tensor1D | null = null;
    VGG16_RELU_TAPS.forEach((tap, l) => {
      const diff = tf.square(tf.sub(normalizeChannels(featuresA[tap]!), normalizeChannels(featuresB[tap]!)));
      const weighted = head.linear ? tf.mul(diff, head.linear[l]!) : diff;
      const perItem = tf.mean(tf.sum(weighted, -1), [1, 2]) as tf.Tensor1D;
      total = total ? (tf.add(total, perItem) as tf.Tensor1D) : perItem;
    });
    return total!;
  });
}

/** LPIPS per item through any feature network (tfjs or ONNX). */
export async function lpips(net: FeatureNetwork, head: LpipsHead, a: tf.Tensor4D, b: tf.Tensor4D): Promise<Float32Array> {
  const scaledA = lpipsScaling(a);
  const scaledB = lpipsScaling(b);
  const featuresA = await net.features(scaledA, VGG16_RELU_TAPS);
  const featuresB = await net.features(scaledB, VGG16_RELU_TAPS);
  const distance = lpipsFromFeatures(featuresA, featuresB, head);
  const values = (await distance.data()) as Float32Array;
  tf.dispose([scaledA, scaledB, distance, ...Object.values(featuresA), ...Object.values(featuresB)]);
  return values;
}
