/** One optimisation step: MSE on the latent (torch.nn.MSELoss, mean over all elements), gradients, Adam update. */
import * as tf from '@tensorflow/tfjs';
import type { Decoder } from '../models/decoder.js';
import type { Adam } from './adam.js';

export function meanSquaredError(predicted: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(predicted, target));
}

/** Loss and the gradient of every trainable variable (in `decoder.trainable` order), training-mode forward. */
export function lossAndGradients(
  decoder: Decoder,
  blocks: readonly tf.Tensor2D[],
  target: tf.Tensor2D,
): { loss: tf.Scalar; gradients: tf.Tensor[] } {
  const variables = decoder.trainable.map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => meanSquaredError(decoder.forward(blocks, true).latent, target), variables);
  return { loss: value, gradients: variables.map((v) => grads[v.name]!) };
}

/** Take one Adam step on a batch and return its loss. */
export function trainingStep(decoder: Decoder, adam: Adam, blocks: readonly tf.Tensor2D[], target: tf.Tensor2D): number {
  const { loss, gradients } = lossAndGradients(decoder, blocks, target);
  adam.apply(gradients);
  const value = loss.dataSync()[0]!;
  tf.dispose([loss, ...gradients]);
  return value;
}
