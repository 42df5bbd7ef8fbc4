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
import { stackedAttention, stackedBatchNorm, stackedLinear } from './stacked-heads.js';
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
  /**
   * Whether the forward pass computes the heads stacked. Only on native TensorFlow: on wasm the stacked
   * batched matmuls made a B2G-sized step ~7× slower (≈1,450 vs ≈200–240 ms median, docs/compute.md §3b).
   */
  private readonly stacked = tf.getBackend() === 'tensorflow';

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
    return this.stacked ? this.forwardStacked(blocks, training) : this.forwardPerHead(blocks, training);
  }

  /** Head by head, as the authors' code: fastest where a kernel costs little to start (wasm, cpu). */
  private forwardPerHead(blocks: readonly tf.Tensor2D[], training: boolean): DecoderOutputs {
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

  /**
   * All heads at once (src/models/stacked-heads.ts), on native TensorFlow, where each kernel costs 25–45 µs to
   * dispatch: a B2G-sized forward + backward pass goes from 2,044 kernels to 942 (docs/compute.md §3b). The variables
   * stay per head (their names are the weights' and checkpoints' names) and are stacked here.
   */
  private forwardStacked(blocks: readonly tf.Tensor2D[], training: boolean): DecoderOutputs {
    const { width, latentDim } = this.shape;
    // Block 0's inputs (columns) and weights (rows) are zero-padded to the widest area: zero inputs meet zero
    // rows, so each head's product is its own, and the pad's gradient (a slice) gives each variable its own.
    const widest = Math.max(...blocks.map((x) => x.shape[1]));
    const heads = (pick: (head: Head) => tf.Tensor) => tf.stack(this.heads.map(pick));
    let embedding = tf.stack(blocks.map((x) => padAxis(x, 1, widest))) as tf.Tensor3D;
    this.heads[0]!.blocks.forEach((_, b) => {
      const weight = heads((head) => {
        const w = head.blocks[b]!.linear.weight as tf.Tensor2D;
        return b === 0 ? padAxis(w, 0, widest) : w;
      }) as tf.Tensor3D;
      const bias = heads((head) => head.blocks[b]!.linear.bias!) as tf.Tensor2D;
      const norms = this.heads.map((head) => head.blocks[b]!.norm);
      const stackNorms = (pick: (norm: BatchNorm) => tf.Tensor) => tf.stack(norms.map(pick)) as tf.Tensor2D;
      const norm = {
        gamma: stackNorms((n) => n.gamma),
        beta: stackNorms((n) => n.beta),
        runningMean: stackNorms((n) => n.runningMean),
        runningVariance: stackNorms((n) => n.runningVariance),
      };
      const { y, runningMean, runningVariance } = stackedBatchNorm(stackedLinear(embedding, weight, bias), norm, training);
      if (runningMean && runningVariance) {
        const means = tf.unstack(runningMean);
        const variances = tf.unstack(runningVariance);
        norms.forEach((n, h) => {
          n.runningMean.assign(means[h]!);
          n.runningVariance.assign(variances[h]!);
        });
      }
      embedding = tf.relu(y);
    });
    const keyValue = stackedLinear(
      embedding,
      heads((head) => head.keyValue.weight) as tf.Tensor3D,
      heads((head) => head.keyValue.bias!) as tf.Tensor2D,
    );
    const [keys, values] = tf.split(keyValue, [width, latentDim], 2) as [tf.Tensor3D, tf.Tensor3D];
    const { attention, latent } = stackedAttention(
      keys,
      values,
      this.query.weight as tf.Tensor2D,
      this.query.bias as tf.Tensor1D,
      this.scale,
    );
    const perArea = (t: tf.Tensor3D) => tf.unstack(t) as tf.Tensor2D[];
    return { latent, attention: { attention: perArea(attention), values: perArea(values), keys: perArea(keys) } };
  }

  dispose(): void {
    for (const { variable } of [...this.trainable, ...this.state]) variable.dispose();
  }
}

/** `x` zero-padded at the end of `axis` to `size` (itself when already that size). */
function padAxis(x: tf.Tensor2D, axis: 0 | 1, size: number): tf.Tensor2D {
  const missing = size - x.shape[axis];
  if (missing === 0) return x;
  return tf.pad(
    x,
    axis === 0
      ? [
          [0, missing],
          [0, 0],
        ]
      : [
          [0, 0],
          [0, missing],
        ],
  );
}
