/**
 * The two building blocks both decoders share, written on raw tfjs variables so that the forward pass, its
 * gradients and the optimizer state are all explicit (and checkpointable) rather than hidden in tfjs-layers.
 *
 * Conventions match PyTorch so the equivalence fixture can be compared number for number:
 *  - Linear: y = x·W + b with W stored [in, out] (PyTorch stores Wᵀ, [out, in]).
 *  - BatchNorm1d: training mode normalises with the biased batch variance and updates running statistics with
 *    momentum 0.1 and the *unbiased* variance; eval mode uses the running statistics; eps 1e-5
 *    (torch.nn.BatchNorm1d docs, "Shape"/"momentum" notes).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random/rng.js';

export const BATCH_NORM_EPSILON = 1e-5;
export const BATCH_NORM_MOMENTUM = 0.1;

/**
 * A named variable; names are stable paths (e.g. `head/V1/block0/linear/weight`) used in weights and checkpoints.
 * The tfjs variables themselves get engine-generated names, because tfjs requires variable names to be unique per
 * process and two models (or tests) may be alive at once.
 */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** Xavier/Glorot uniform: U(±√(6/(fan_in+fan_out))) (torch.nn.init.xavier_uniform_, gain 1). */
function xavierUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.uniform() - 1) * bound;
  return values;
}

/** PyTorch's default Linear bias init: U(±1/√fan_in) (torch.nn.Linear.reset_parameters). */
export function defaultBias(rng: Rng, fanIn: number, width: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const values = new Float32Array(width);
  for (let i = 0; i < width; i++) values[i] = (2 * rng.uniform() - 1) * bound;
  return values;
}

/**
 * A variable initialised from a temporary tensor; the temporary is disposed (tf.variable keeps its own reference
 * to the data, and a tidy never disposes variables), so models leave no stray tensors behind.
 */
export function variableOf(initial: () => tf.Tensor, trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(initial(), trainable));
}

export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(
    readonly name: string,
    rng: Rng,
    inputs: number,
    outputs: number,
    withBias: boolean,
  ) {
    this.weight = variableOf(() => tf.tensor2d(xavierUniform(rng, inputs, outputs), [inputs, outputs]), true);
    this.bias = withBias ? variableOf(() => tf.tensor1d(defaultBias(rng, inputs, outputs)), true) : null;
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    const product = tf.matMul(x, this.weight as tf.Tensor2D) as tf.Tensor2D;
    return this.bias ? (tf.add(product, this.bias) as tf.Tensor2D) : product;
  }

  variables(): NamedVariable[] {
    const out: NamedVariable[] = [{ name: `${this.name}/weight`, variable: this.weight }];
    if (this.bias) out.push({ name: `${this.name}/bias`, variable: this.bias });
    return out;
  }
}

export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVariance: tf.Variable;

  constructor(
    readonly name: string,
    width: number,
  ) {
    this.gamma = variableOf(() => tf.ones([width]), true);
    this.beta = variableOf(() => tf.zeros([width]), true);
    this.runningMean = variableOf(() => tf.zeros([width]), false);
    this.runningVariance = variableOf(() => tf.ones([width]), false);
  }

  /** Training mode also updates the running statistics (outside the gradient: they are not trainable). */
  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (!training) {
      return tf.batchNorm(x, this.runningMean, this.runningVariance, this.beta, this.gamma, BATCH_NORM_EPSILON) as tf.Tensor2D;
    }
    const { mean, variance } = tf.moments(x, 0);
    const rows = x.shape[0];
    if (rows < 2) throw new RangeError(`${this.name}: batch norm in training mode needs at least 2 rows, got ${rows}`);
    const unbiased = tf.mul(variance, rows / (rows - 1));
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - BATCH_NORM_MOMENTUM), tf.mul(mean, BATCH_NORM_MOMENTUM)));
    this.runningVariance.assign(tf.add(tf.mul(this.runningVariance, 1 - BATCH_NORM_MOMENTUM), tf.mul(unbiased, BATCH_NORM_MOMENTUM)));
    const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON)));
    return tf.add(tf.mul(normalised, this.gamma), this.beta) as tf.Tensor2D;
  }

  trainable(): NamedVariable[] {
    return [
      { name: `${this.name}/gamma`, variable: this.gamma },
      { name: `${this.name}/beta`, variable: this.beta },
    ];
  }

  state(): NamedVariable[] {
    return [
      { name: `${this.name}/running_mean`, variable: this.runningMean },
      { name: `${this.name}/running_var`, variable: this.runningVariance },
    ];
  }
}
