/**
 * What the trainer, the checkpointing and the weights writer need to know about a decoder model.
 * Inputs are "blocks": one row-major matrix per brain area for PAM, one concatenated matrix for the baseline.
 */
import type * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from './layers.js';

/** Per-item outputs of PAM besides the latent (absent for the baseline). */
export interface AttentionOutputs {
  /** Attention weights per area, each [n, d] (softmax over areas, per latent dim). */
  attention: tf.Tensor2D[];
  /** Values per area, each [n, d]. */
  values: tf.Tensor2D[];
  /** Keys per area, each [n, c]. */
  keys: tf.Tensor2D[];
}

export interface DecoderOutputs {
  /** Predicted latents [n, d]. */
  latent: tf.Tensor2D;
  attention?: AttentionOutputs;
}

/** Architecture description, stored in `model.json` so the weights can be rebuilt and reloaded. */
export type DecoderArchitecture =
  | { kind: 'baseline'; inputUnits: number; latentDim: number }
  | { kind: 'pam'; areas: { name: string; units: number }[]; width: number; embeddingBlocks: number; latentDim: number };

export interface Decoder {
  readonly architecture: DecoderArchitecture;
  /** Trainable variables, in a fixed order (Adam moments follow it). */
  readonly trainable: readonly NamedVariable[];
  /** Non-trainable state (batch-norm running statistics). */
  readonly state: readonly NamedVariable[];
  /** Forward pass. `training` switches batch norm to batch statistics and updates its running statistics. */
  forward(blocks: readonly tf.Tensor2D[], training: boolean): DecoderOutputs;
  dispose(): void;
}

/** Widths of the input blocks a decoder expects. */
export function inputBlockWidths(architecture: DecoderArchitecture): number[] {
  return architecture.kind === 'baseline' ? [architecture.inputUnits] : architecture.areas.map((a) => a.units);
}
