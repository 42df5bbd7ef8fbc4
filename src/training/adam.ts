/**
 * Adam exactly as PyTorch computes it (torch.optim.Adam, default settings):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
 *   p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε).
 * tfjs's AdamOptimizer puts ε inside the bias correction differently (ε·√(1−β2^t)), which differs from PyTorch for
 * small gradients; this class matches PyTorch and exposes its moments and step for checkpoints.
 *
 * Speed note (bench/pam.ts, B2G-sized PAM, 5.2 M parameters, quiet machine): this update takes ≈45 ms of a
 * ≈140 ms wasm step. A fused single-pass JS loop over the backend's memory was tried: ≈30–38 ms, i.e. ≈5 % of a
 * step, and writing wasm weights in place is unsafe (tfjs-wasm caches XNNPACK-packed matMul weights by data id;
 * training silently diverged), so the plain kernels are kept.
 */
import * as tf from '@tensorflow/tfjs';
import { variableOf, type NamedVariable } from '../models/layers.js';

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
  readonly firstMoments: tf.Variable[];
  readonly secondMoments: tf.Variable[];

  constructor(
    private readonly parameters: readonly NamedVariable[],
    private readonly settings: AdamSettings,
  ) {
    this.firstMoments = parameters.map((p) => variableOf(() => tf.zerosLike(p.variable), false));
    this.secondMoments = parameters.map((p) => variableOf(() => tf.zerosLike(p.variable), false));
  }

  /** Apply one update; `gradients[i]` belongs to `parameters[i]`. */
  apply(gradients: readonly tf.Tensor[]): void {
    if (gradients.length !== this.parameters.length) {
      throw new RangeError(`Adam: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.step += 1;
    const { learningRate, beta1, beta2, epsilon } = this.settings;
    const stepSize = learningRate / (1 - beta1 ** this.step);
    const secondCorrectionRoot = Math.sqrt(1 - beta2 ** this.step);
    // One tidy per parameter keeps peak memory at one parameter's temporaries instead of all of them.
    this.parameters.forEach((parameter, i) => {
      tf.tidy(() => {
        const g = gradients[i]!;
        const m = tf.add(tf.mul(this.firstMoments[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.secondMoments[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        const denominator = tf.add(tf.div(tf.sqrt(v), secondCorrectionRoot), epsilon);
        parameter.variable.assign(tf.sub(parameter.variable, tf.mul(tf.div(m, denominator), stepSize)));
        this.firstMoments[i]!.assign(m);
        this.secondMoments[i]!.assign(v);
      });
    });
  }

  dispose(): void {
    for (const moment of [...this.firstMoments, ...this.secondMoments]) moment.dispose();
  }
}
