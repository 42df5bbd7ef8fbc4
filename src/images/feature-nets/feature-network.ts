/**
 * The feature-network plug-in: image batch → named layer activations. Two backends implement it: tfjs
 * (differentiable, needed for the LPIPS loss of latent inversion) and ONNX Runtime (inference only, fast evaluation).
 * Activations are NHWC tensors whatever the backend (the ONNX adapter transposes from NCHW).
 */
import type * as tf from '@tensorflow/tfjs';

/** Tap names: VGG16 post-ReLU taps before each pool (LPIPS) and the five max-pool outputs (perceptual similarity). */
export const VGG16_RELU_TAPS = ['relu1_2', 'relu2_2', 'relu3_3', 'relu4_3', 'relu5_3'] as const;
export const VGG16_POOL_TAPS = ['pool1', 'pool2', 'pool3', 'pool4', 'pool5'] as const;
export type Vgg16Tap = (typeof VGG16_RELU_TAPS)[number] | (typeof VGG16_POOL_TAPS)[number];

export interface FeatureNetwork {
  /** Which weights produced these activations (file + sha256, or the seeded stand-in's seed and widths). */
  readonly label: string;
  /** True when `featuresSync` exists and tf gradients flow through it. */
  readonly differentiable: boolean;
  /** Inference: NHWC input (already normalised as the caller's metric requires) → NHWC activations. */
  features(images: tf.Tensor4D, taps: readonly Vgg16Tap[]): Promise<Record<string, tf.Tensor4D>>;
  /** Differentiable forward pass (tfjs backend only). */
  featuresSync?(images: tf.Tensor4D, taps: readonly Vgg16Tap[]): Record<string, tf.Tensor4D>;
  dispose(): void;
}
