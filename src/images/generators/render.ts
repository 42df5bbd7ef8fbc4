/**
 * Render stimuli from latents with a generator, in batches so memory stays flat (pure; no stage concerns).
 */
import * as tf from '@tensorflow/tfjs';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { ImageGenerator } from './generator.js';

/** latents: rows × generator.latentDim, row-major → NHWC pixels in [-1, 1] (rows × H × W × 3). */
export async function renderStimuli(
  latents: Float32Array,
  generator: ImageGenerator,
  batchSize = 32,
  onBatch?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const dim = generator.latentDim;
  if (latents.length % dim !== 0) {
    throw new DataValidationError(`renderStimuli: ${latents.length} latent values are not rows of the generator's ${dim} dims`);
  }
  const rows = latents.length / dim;
  const imageSize = generator.height * generator.width * 3;
  const pixels = new Float32Array(rows * imageSize);
  for (let start = 0; start < rows; start += batchSize) {
    const count = Math.min(batchSize, rows - start);
    const batch = tf.tensor2d(latents.subarray(start * dim, (start + count) * dim), [count, dim]);
    const images = await generator.generate(batch);
    pixels.set((await images.data()) as Float32Array, start * imageSize);
    tf.dispose([batch, images]);
    onBatch?.(start + count, rows);
  }
  return pixels;
}
