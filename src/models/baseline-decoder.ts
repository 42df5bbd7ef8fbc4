/**
 * The paper's "linear" baseline as the authors coded it (tdado/pam `classes.py` `LinearDecoder`):
 * Linear(all units → latent, no bias) → BatchNorm1d → ReLU. The final ReLU clamps predictions to ≥ 0; it is kept
 * on purpose to match the authors' code (docs/datasets.md §D.3).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { BatchNorm, Linear } from './layers.js';
import type { Decoder, DecoderArchitecture, DecoderOutputs } from './decoder.js';

export class BaselineDecoder implements Decoder {
  readonly architecture: DecoderArchitecture;
  private readonly linear: Linear;
  private readonly norm: BatchNorm;

  constructor(rng: Rng, inputUnits: number, latentDim: number) {
    this.architecture = { kind: 'baseline', inputUnits, latentDim };
    this.linear = new Linear('linear', rng, inputUnits, latentDim, false);
    this.norm = new BatchNorm('batchnorm', latentDim);
  }

  get trainable() {
    return [...this.linear.variables(), ...this.norm.trainable()];
  }

  get state() {
    return this.norm.state();
  }

  forward(blocks: readonly tf.Tensor2D[], training: boolean): DecoderOutputs {
    if (blocks.length !== 1) throw new RangeError(`baseline decoder takes one input block, got ${blocks.length}`);
    return { latent: tf.relu(this.norm.apply(this.linear.apply(blocks[0]!), training)) };
  }

  dispose(): void {
    for (const { variable } of [...this.trainable, ...this.state]) variable.dispose();
  }
}
