/**
 * The generator plug-in: latent batch [N, latentDim] → RGB image batch NHWC [N, H, W, 3] in [-1, 1].
 * tfjs generators are differentiable (`synthesize`), which latent inversion needs; ONNX generators are inference
 * only. Asking for inversion with a non-differentiable generator is a ConfigError (`requireDifferentiable`).
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors/pipeline-errors.js';

export interface ImageGenerator {
  /** Which weights produced the images (file + sha256, or the seeded stand-in's seed and widths). */
  readonly label: string;
  readonly latentDim: number;
  readonly height: number;
  readonly width: number;
  readonly differentiable: boolean;
  /** Inference on any backend. */
  generate(latents: tf.Tensor2D): Promise<tf.Tensor4D>;
  /** Differentiable forward pass (tfjs only). */
  synthesize?(latents: tf.Tensor2D): tf.Tensor4D;
  dispose(): void;
}

export type DifferentiableGenerator = ImageGenerator & { synthesize(latents: tf.Tensor2D): tf.Tensor4D };

/** Refuse a generator gradients cannot flow through, naming what needed them. */
export function requireDifferentiable(generator: ImageGenerator, purpose: string): DifferentiableGenerator {
  if (!generator.differentiable || !generator.synthesize) {
    throw new ConfigError(
      `${purpose} needs a differentiable (tfjs) generator, but "${generator.label}" is inference-only; ` +
        'use generator kind "builtin" or "stylegan-xl" (tfjs) for inversion and ONNX only for evaluation',
    );
  }
  return generator as DifferentiableGenerator;
}
