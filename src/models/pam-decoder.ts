/**
 * Predictive attention mechanism (PAM; paper §2.1; authors' code tdado/pam `classes.py`
 * `PredictiveAttentionMechanism`, read in docs/datasets.md §D.1).
 *
 * One head per brain area: `embeddingBlocks` × [Linear → BatchNorm → ReLU] of width c, then one Linear of width
 * c + d split into a key (c) and a value (d). Learned queries are the weight of a Linear(c → d) with bias: the
 * score of (item, area h, latent dim j) is (k_h · q_j + b_j)/√c, softmax over the areas separately for each j,
 * and z_j = Σ_h a_hj · v_hj. In the authors' code d = c = 512 (value width c); this generalises to a latent
 * dimension d ≠ c by giving the value projection width d, which is the authors' model when width = d.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';
import { BatchNorm, Linear, type NamedVariable } from './layers.js';
import type { Decoder, DecoderArchitecture, DecoderOutputs } from './decoder.js';

interface Head {
  blocks: { linear: Linear; norm: BatchNorm }[];
  keyValue: Linear;
}

export interface PamShape {
  areas: { name: string; units: number }[];
  width: number;
  embeddingBlocks: number;
  latentDim: number;
}

export class PamDecoder implements Decoder {
  readonly architecture: DecoderArchitecture;
  private readonly heads: Head[];
  /** Queries as a Linear(c → d): weight [c, d], column j is query j; bias [d]. */
  readonly query: Linear;
  private readonly scale: number;

  constructor(
    rng: Rng,
    private readonly shape: PamShape,
  ) {
    const { areas, width, embeddingBlocks, latentDim } = shape;
    if (areas.length === 0) throw new RangeError('PAM needs at least one area');
    if (!Number.isInteger(embeddingBlocks) || embeddingBlocks < 1)
      throw new RangeError(`embeddingBlocks must be ≥ 1, got ${embeddingBlocks}`);
    this.architecture = { kind: 'pam', ...shape, areas: areas.map((a) => ({ ...a })) };
    this.heads = areas.map((area) => {
      const blocks = [];
      let inputs = area.units;
      for (let b = 0; b < embeddingBlocks; b++) {
        const prefix = `head/${area.name}/block${b}`;
        blocks.push({
          linear: new Linear(`${prefix}/linear`, rng, inputs, width, true),
          norm: new BatchNorm(`${prefix}/batchnorm`, width),
        });
        inputs = width;
      }
      return { blocks, keyValue: new Linear(`head/${area.name}/key_value`, rng, width, width + latentDim, true) };
    });
    this.query = new Linear('query', rng, width, latentDim, true);
    this.scale = 1 / Math.sqrt(width);
  }

  get trainable(): NamedVariable[] {
    const heads = this.heads.flatMap((head) => [
      ...head.blocks.flatMap((block) => [...block.linear.variables(), ...block.norm.trainable()]),
      ...head.keyValue.variables(),
    ]);
    return [...heads, ...this.query.variables()];
  }

  get state(): NamedVariable[] {
    return this.heads.flatMap((head) => head.blocks.flatMap((block) => block.norm.state()));
  }

  forward(blocks: readonly tf.Tensor2D[], training: boolean): DecoderOutputs {
    if (blocks.length !== this.heads.length) {
      throw new RangeError(
        `PAM has ${this.heads.length} heads (${this.shape.areas.map((a) => a.name).join(', ')}) but got ${blocks.length} input blocks`,
      );
    }
    const { width, latentDim } = this.shape;
    const keys: tf.Tensor2D[] = [];
    const values: tf.Tensor2D[] = [];
    const scores: tf.Tensor2D[] = [];
    this.heads.forEach((head, h) => {
      let embedding = blocks[h]!;
      for (const block of head.blocks) embedding = tf.relu(block.norm.apply(block.linear.apply(embedding), training));
      const keyValue = head.keyValue.apply(embedding);
      const [key, value] = tf.split(keyValue, [width, latentDim], 1) as [tf.Tensor2D, tf.Tensor2D];
      keys.push(key);
      values.push(value);
      scores.push(tf.mul(this.query.apply(key), this.scale));
    });
    // Softmax over areas written element-wise (max-subtracted): avoids stack/unstack, measured faster on wasm
    // (docs/compute.md §3, "manual softmax").
    const maxScore = scores.reduce((m, s) => tf.maximum(m, s));
    const exps = scores.map((s) => tf.exp(tf.sub(s, maxScore)));
    const total = exps.reduce((sum, e) => tf.add(sum, e));
    const attention = exps.map((e) => tf.div(e, total) as tf.Tensor2D);
    const latent = attention.map((a, h) => tf.mul(a, values[h]!)).reduce((sum, term) => tf.add(sum, term)) as tf.Tensor2D;
    return { latent, attention: { attention, values, keys } };
  }

  dispose(): void {
    for (const { variable } of [...this.trainable, ...this.state]) variable.dispose();
  }
}
