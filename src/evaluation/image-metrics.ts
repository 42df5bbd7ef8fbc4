/**
 * Per-item image metrics of the paper's Table 2 (§2.3): LPIPS (lower is better) and perceptual similarity at VGG16
 * depths 2/16 … 13/16 (higher is better), between each stimulus and its reconstruction. Items are processed in
 * batches so memory stays flat; works with any feature-network backend (tfjs or ONNX).
 */
import * as tf from '@tensorflow/tfjs';
import { DataValidationError } from '../errors/pipeline-errors.js';
import type { FeatureNetwork } from '../images/feature-nets/feature-network.js';
import { lpips, type LpipsHead } from './lpips.js';
import { perceptualSimilarity, PERCEPTUAL_METRICS } from './perceptual-similarity.js';

export const IMAGE_METRICS = ['lpips', ...PERCEPTUAL_METRICS.map(([name]) => name)] as const;

/** NHWC images in [-1, 1], row-major. */
export interface ImageBatch {
  pixels: Float32Array;
  height: number;
  width: number;
}

export interface ImageMetricsInput {
  stimuli: ImageBatch;
  reconstructions: ImageBatch;
  featureNet: FeatureNetwork;
  lpips: LpipsHead;
  /** Resize target of the perceptual-similarity preprocessing (224 for real VGG16; smaller for stand-ins). */
  perceptualSize?: number;
  batchSize?: number;
  /** Called after each batch with the items scored so far (the stage reports it as progress). */
  onBatch?: (done: number, total: number) => void;
}

/** Metric name → one value per item (in stimulus order). */
export async function computeImageMetrics(input: ImageMetricsInput): Promise<Record<string, Float64Array>> {
  const { stimuli, reconstructions, featureNet } = input;
  if (
    stimuli.height !== reconstructions.height ||
    stimuli.width !== reconstructions.width ||
    stimuli.pixels.length !== reconstructions.pixels.length
  ) {
    throw new DataValidationError(
      `image metrics: stimuli are ${stimuli.pixels.length / (stimuli.height * stimuli.width * 3)} × ${stimuli.height}×${stimuli.width}, ` +
        `reconstructions ${reconstructions.pixels.length / (reconstructions.height * reconstructions.width * 3)} × ${reconstructions.height}×${reconstructions.width}`,
    );
  }
  const imageSize = stimuli.height * stimuli.width * 3;
  const items = stimuli.pixels.length / imageSize;
  const batchSize = input.batchSize ?? 16;
  const out: Record<string, Float64Array> = Object.fromEntries(IMAGE_METRICS.map((m) => [m, new Float64Array(items)]));
  for (let start = 0; start < items; start += batchSize) {
    const count = Math.min(batchSize, items - start);
    const shape: [number, number, number, number] = [count, stimuli.height, stimuli.width, 3];
    const a = tf.tensor4d(stimuli.pixels.subarray(start * imageSize, (start + count) * imageSize), shape);
    const b = tf.tensor4d(reconstructions.pixels.subarray(start * imageSize, (start + count) * imageSize), shape);
    out.lpips!.set(await lpips(featureNet, input.lpips, a, b), start);
    const similarity = await perceptualSimilarity(featureNet, a, b, input.perceptualSize ?? 224);
    for (const [metric] of PERCEPTUAL_METRICS) out[metric]!.set(similarity[metric]!, start);
    tf.dispose([a, b]);
    input.onBatch?.(start + count, items);
  }
  return out;
}
