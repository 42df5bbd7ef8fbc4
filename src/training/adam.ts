/**
 * Adam exactly as PyTorch computes it (torch.optim.Adam, default settings):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
 *   p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε).
 * tfjs's AdamOptimizer puts ε inside the bias correction differently (ε·√(1−β2^t)), which differs from PyTorch for
 * small gradients; this class matches PyTorch and exposes its moments and step for checkpoints.
 *
 * Two implementations of the same update:
 *  - native TensorFlow: TensorFlow's fused ApplyAdam kernel on resource variables (src/tensor/native-kernels/resource-ops.ts),
 *    given step size lr·√(1−β2^t)/(1−β1^t) and ε·√(1−β2^t), which is PyTorch's update with numerator and
 *    denominator multiplied by √(1−β2^t). One pass over each parameter instead of 13 kernels that each read and
 *    write all of it: a B2G-sized PAM's update (5.2 M parameters) ≈15 ms instead of ≈41 ms (docs/compute.md §3b).
 *  - elsewhere, the formula above in tfjs kernels per parameter. On wasm a fused single-pass JS loop over the
 *    backend's memory was tried (≈30–38 ms vs ≈45 ms) and dropped: writing wasm weights in place is unsafe
 *    (tfjs-wasm caches XNNPACK-packed matMul weights by data id; training silently diverged).
 * The two round differently (at float32 precision); each matches PyTorch (test/models/pytorch-equivalence.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { variableOf, type NamedVariable } from '../models/layers.js';
import { nativeResourceOps, type AdamSlots, type ResourceOps } from '../tensor/native-kernels/resource-ops.js';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const PYTORCH_ADAM_DEFAULTS: AdamSettings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Step-dependent factors of one update: lr/(1−β1^t) and √(1−β2^t). */
interface Corrections {
  stepSize: number;
  secondCorrectionRoot: number;
}

/** Where the moments live and how one step updates every parameter. */
interface AdamState {
  update(gradients: readonly tf.Tensor[], corrections: Corrections): void;
  /** A copy of parameter `i`'s first (`which` 0) or second moment. */
  values(i: number, which: 0 | 1): Float32Array;
  restore(i: number, which: 0 | 1, values: tf.Tensor): void;
  dispose(): void;
}

export class Adam {
  /** Number of steps taken (t in the bias corrections). */
  step = 0;
  private readonly state: AdamState;

  constructor(
    private readonly parameters: readonly NamedVariable[],
    private readonly settings: AdamSettings,
  ) {
    const native = nativeResourceOps();
    this.state = native ? new NativeAdamState(native, parameters, settings) : new TfjsAdamState(parameters, settings);
  }

  /** Apply one update; `gradients[i]` belongs to `parameters[i]`. */
  apply(gradients: readonly tf.Tensor[]): void {
    if (gradients.length !== this.parameters.length) {
      throw new RangeError(`Adam: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.step += 1;
    const { learningRate, beta1, beta2 } = this.settings;
    this.state.update(gradients, {
      stepSize: learningRate / (1 - beta1 ** this.step),
      secondCorrectionRoot: Math.sqrt(1 - beta2 ** this.step),
    });
  }

  /** Each parameter's first and second moments (for checkpoints), in parameter order. */
  moments(): { first: Float32Array[]; second: Float32Array[] } {
    const all = (which: 0 | 1) => this.parameters.map((_, i) => this.state.values(i, which));
    return { first: all(0), second: all(1) };
  }

  /** Restore the moments `moments()` returned (e.g. from a checkpoint). */
  restoreMoments(first: readonly Float32Array[], second: readonly Float32Array[]): void {
    for (const [which, values] of [
      [0, first],
      [1, second],
    ] as const) {
      values.forEach((v, i) => {
        const { name, variable } = this.parameters[i]!;
        if (v.length !== variable.size) throw new RangeError(`Adam: ${v.length} moments for ${name} of ${variable.size} values`);
        tf.tidy(() => this.state.restore(i, which, tf.tensor(v, variable.shape)));
      });
    }
  }

  dispose(): void {
    this.state.dispose();
  }
}

/** Moments as tfjs variables, the update in tfjs kernels, one parameter at a time. */
class TfjsAdamState implements AdamState {
  private readonly moments: [tf.Variable[], tf.Variable[]];

  constructor(
    private readonly parameters: readonly NamedVariable[],
    private readonly settings: AdamSettings,
  ) {
    const zeros = () => parameters.map((p) => variableOf(() => tf.zerosLike(p.variable), false));
    this.moments = [zeros(), zeros()];
  }

  update(gradients: readonly tf.Tensor[], { stepSize, secondCorrectionRoot }: Corrections): void {
    const { beta1, beta2, epsilon } = this.settings;
    const [first, second] = this.moments;
    // One tidy per parameter keeps peak memory at one parameter's temporaries instead of all of them.
    this.parameters.forEach(({ variable }, i) => {
      tf.tidy(() => {
        const g = gradients[i]!;
        const m = tf.add(tf.mul(first[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(second[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        const denominator = tf.add(tf.div(tf.sqrt(v), secondCorrectionRoot), epsilon);
        first[i]!.assign(m);
        second[i]!.assign(v);
        variable.assign(tf.sub(variable, tf.mul(tf.div(m, denominator), stepSize)));
      });
    });
  }

  values(i: number, which: 0 | 1): Float32Array {
    return (this.moments[which][i]!.dataSync() as Float32Array).slice();
  }

  restore(i: number, which: 0 | 1, values: tf.Tensor): void {
    this.moments[which][i]!.assign(values);
  }

  dispose(): void {
    for (const moment of this.moments.flat()) moment.dispose();
  }
}

/**
 * Moments in TensorFlow resource variables, the update by TensorFlow's ApplyAdam. Each parameter also has a
 * resource variable, loaded from the tfjs variable before every update (so anything that assigned the tfjs
 * variable in between, such as a checkpoint restore, is what gets updated) and read back into it after.
 */
class NativeAdamState implements AdamState {
  private readonly slots: AdamSlots[];

  constructor(
    private readonly ops: ResourceOps,
    private readonly parameters: readonly NamedVariable[],
    private readonly settings: AdamSettings,
  ) {
    this.slots = parameters.map(({ variable }) =>
      tf.tidy(() => ({
        variable: tf.keep(ops.create(variable)),
        first: tf.keep(ops.create(tf.zerosLike(variable))),
        second: tf.keep(ops.create(tf.zerosLike(variable))),
      })),
    );
  }

  update(gradients: readonly tf.Tensor[], { stepSize, secondCorrectionRoot }: Corrections): void {
    const { beta1, beta2, epsilon } = this.settings;
    tf.tidy(() => {
      const scalars = {
        learningRate: tf.scalar(stepSize * secondCorrectionRoot),
        beta1: tf.scalar(beta1),
        beta2: tf.scalar(beta2),
        epsilon: tf.scalar(epsilon * secondCorrectionRoot),
        zero: tf.scalar(0),
      };
      this.parameters.forEach(({ variable }, i) => {
        const slots = this.slots[i]!;
        this.ops.assign(slots.variable, variable);
        this.ops.applyAdam(slots, scalars, gradients[i]!);
        variable.assign(this.ops.read(slots.variable));
      });
    });
  }

  values(i: number, which: 0 | 1): Float32Array {
    const slots = this.slots[i]!;
    const moment = this.ops.read(which === 0 ? slots.first : slots.second);
    try {
      return moment.dataSync() as Float32Array;
    } finally {
      moment.dispose();
    }
  }

  restore(i: number, which: 0 | 1, values: tf.Tensor): void {
    const slots = this.slots[i]!;
    this.ops.assign(which === 0 ? slots.first : slots.second, values);
  }

  dispose(): void {
    tf.dispose(this.slots.flatMap((s) => [s.variable, s.first, s.second]));
  }
}
