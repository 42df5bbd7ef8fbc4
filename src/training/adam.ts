/**
 * Adam exactly as PyTorch computes it (torch.optim.Adam, default settings):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
 *   p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε).
 * tfjs's AdamOptimizer puts ε inside the bias correction differently (ε·√(1−β2^t)), which differs from PyTorch for
 * small gradients; this class matches PyTorch and exposes its moments and step for checkpoints.
 *
 * Speed note (bench/pam.ts, B2G-sized PAM, 5.2 M parameters, quiet machine): the per-parameter update took ≈45 ms
 * of a ≈140 ms wasm step. A fused single-pass JS loop over the backend's memory was tried: ≈30–38 ms, and writing
 * wasm weights in place is unsafe (tfjs-wasm caches XNNPACK-packed matMul weights by data id; training silently
 * diverged), so the update stays in tfjs kernels, over all parameters at once.
 */
import * as tf from '@tensorflow/tfjs';
import { variableOf, type NamedVariable } from '../models/layers.js';
import { concatTyped } from '../util/typed-arrays.js';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const PYTORCH_ADAM_DEFAULTS: AdamSettings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export class Adam {
  /** Number of steps taken (t in the bias corrections). */
  step = 0;
  /**
   * On native TensorFlow the update runs over all parameters at once: both moments live flattened and
   * concatenated in parameter order, and a step costs a few kernels instead of ~13 per parameter (a B2G-sized PAM
   * has 68 parameters, so ~880 of a step's ~2,350 kernels, at 25–45 µs of dispatch each there; docs/compute.md §3).
   * On wasm and cpu, where a kernel costs little to start, the per-parameter update is faster (tf.profile, 5.2 M
   * parameters: wasm 41 ms per-parameter vs 63 ms fused, tfjs-node 53 ms vs 35 ms), so they keep it.
   * The arithmetic is element-wise and the same either way, so the result is the same to the bit.
   */
  private readonly fused: boolean;
  /** Moments per parameter, or (fused) one flat vector each. */
  private readonly first: tf.Variable[];
  private readonly second: tf.Variable[];
  private readonly sizes: number[];

  constructor(
    private readonly parameters: readonly NamedVariable[],
    private readonly settings: AdamSettings,
  ) {
    this.fused = tf.getBackend() === 'tensorflow';
    this.sizes = parameters.map((p) => p.variable.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    const zeros = () =>
      this.fused ? [variableOf(() => tf.zeros([total]), false)] : parameters.map((p) => variableOf(() => tf.zerosLike(p.variable), false));
    this.first = zeros();
    this.second = zeros();
  }

  /** Apply one update; `gradients[i]` belongs to `parameters[i]`. */
  apply(gradients: readonly tf.Tensor[]): void {
    if (gradients.length !== this.parameters.length) {
      throw new RangeError(`Adam: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.step += 1;
    if (this.fused) {
      tf.tidy(() => {
        const updated = this.update(0, flatConcat(this.parameters.map((p) => p.variable)), flatConcat(gradients));
        let offset = 0;
        for (const [i, { variable }] of this.parameters.entries()) {
          variable.assign(tf.reshape(tf.slice(updated, [offset], [this.sizes[i]!]), variable.shape));
          offset += this.sizes[i]!;
        }
      });
      return;
    }
    // One tidy per parameter keeps peak memory at one parameter's temporaries instead of all of them.
    this.parameters.forEach(({ variable }, i) => {
      tf.tidy(() => variable.assign(this.update(i, variable, gradients[i]!)));
    });
  }

  /** Each parameter's first and second moments (for checkpoints), in parameter order. */
  moments(): { first: Float32Array[]; second: Float32Array[] } {
    return { first: this.perParameter(this.first), second: this.perParameter(this.second) };
  }

  /** Restore the moments `moments()` returned (e.g. from a checkpoint). */
  restoreMoments(first: readonly Float32Array[], second: readonly Float32Array[]): void {
    for (const [values, into] of [
      [first, this.first],
      [second, this.second],
    ] as const) {
      values.forEach((v, i) => {
        if (v.length !== this.sizes[i])
          throw new RangeError(`Adam: ${v.length} moments for ${this.parameters[i]!.name} of ${this.sizes[i]} values`);
      });
      const sources = this.fused ? [concatTyped(Float32Array, values)] : values;
      into.forEach((variable, i) => {
        tf.tidy(() => variable.assign(tf.tensor(sources[i]!, variable.shape)));
      });
    }
  }

  dispose(): void {
    for (const moment of [...this.first, ...this.second]) moment.dispose();
  }

  /** Adam's update of moments slot `slot` with gradient `g`: stores the new moments, returns the new `parameter`. */
  private update(slot: number, parameter: tf.Tensor, g: tf.Tensor): tf.Tensor {
    const { learningRate, beta1, beta2, epsilon } = this.settings;
    const stepSize = learningRate / (1 - beta1 ** this.step);
    const secondCorrectionRoot = Math.sqrt(1 - beta2 ** this.step);
    const m = tf.add(tf.mul(this.first[slot]!, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(this.second[slot]!, beta2), tf.mul(tf.square(g), 1 - beta2));
    const denominator = tf.add(tf.div(tf.sqrt(v), secondCorrectionRoot), epsilon);
    this.first[slot]!.assign(m);
    this.second[slot]!.assign(v);
    return tf.sub(parameter, tf.mul(tf.div(m, denominator), stepSize));
  }

  private perParameter(moments: tf.Variable[]): Float32Array[] {
    if (!this.fused) return moments.map((m) => (m.dataSync() as Float32Array).slice());
    const all = moments[0]!.dataSync() as Float32Array;
    const starts = this.sizes.map((_, i) => this.sizes.slice(0, i).reduce((a, b) => a + b, 0));
    return this.sizes.map((size, i) => all.slice(starts[i], starts[i]! + size));
  }
}

function flatConcat(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.concat(tensors.map((t) => tf.reshape(t, [-1]))) as tf.Tensor1D;
}
