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

/**
 * Parameters updated together: on native TensorFlow every parameter whose shape differs only in its first axis
 * (all vectors; all matrices of one width), concatenated along that axis; elsewhere each parameter alone.
 */
interface Group {
  members: number[];
  /** Each member's length along axis 0 (for the split back). */
  rows: number[];
  shape: number[];
}

export class Adam {
  /** Number of steps taken (t in the bias corrections). */
  step = 0;
  /**
   * On native TensorFlow, where each kernel costs 25–45 µs to dispatch, the update runs over groups of parameters
   * at once, a few kernels each instead of ~13 per parameter (a B2G-sized PAM has 68 parameters, so ~880 kernels).
   * Grouping by shape lets the concatenation and the split back run along axis 0, which needs no reshape per
   * parameter: a step's update went from 287 kernels (one flat vector) to ~50 (docs/compute.md §3b). On wasm and
   * cpu, where a kernel costs little to start, the per-parameter update is faster (tf.profile, 5.2 M parameters:
   * wasm 41 ms per-parameter vs 63 ms fused, tfjs-node 53 ms vs 35 ms), so they keep it. The arithmetic is
   * element-wise and the same either way, so the result is the same to the bit.
   */
  private readonly groups: Group[];
  /** Moments per group, shaped as the group's concatenation. */
  private readonly first: tf.Variable[];
  private readonly second: tf.Variable[];

  constructor(
    private readonly parameters: readonly NamedVariable[],
    private readonly settings: AdamSettings,
  ) {
    this.groups = groupParameters(
      parameters.map((p) => p.variable.shape),
      tf.getBackend() === 'tensorflow',
    );
    const zeros = () => this.groups.map((g) => variableOf(() => tf.zeros(g.shape), false));
    this.first = zeros();
    this.second = zeros();
  }

  /** Apply one update; `gradients[i]` belongs to `parameters[i]`. */
  apply(gradients: readonly tf.Tensor[]): void {
    if (gradients.length !== this.parameters.length) {
      throw new RangeError(`Adam: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.step += 1;
    // One tidy per group keeps peak memory at one group's temporaries instead of all of them.
    this.groups.forEach(({ members, rows }, slot) => {
      tf.tidy(() => {
        const variables = members.map((i) => this.parameters[i]!.variable);
        if (members.length === 1) {
          variables[0]!.assign(this.update(slot, variables[0]!, gradients[members[0]!]!));
          return;
        }
        const updated = this.update(
          slot,
          tf.concat(variables, 0),
          tf.concat(
            members.map((i) => gradients[i]!),
            0,
          ),
        );
        for (const [k, part] of tf.split(updated, rows, 0).entries()) variables[k]!.assign(part);
      });
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
        const size = this.parameters[i]!.variable.size;
        if (v.length !== size) throw new RangeError(`Adam: ${v.length} moments for ${this.parameters[i]!.name} of ${size} values`);
      });
      this.groups.forEach(({ members }, slot) => {
        const joined = concatTyped(
          Float32Array,
          members.map((i) => values[i]!),
        );
        tf.tidy(() => into[slot]!.assign(tf.tensor(joined, into[slot]!.shape)));
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

  /** A group's concatenation along axis 0 is its members' row-major values one after another. */
  private perParameter(moments: tf.Variable[]): Float32Array[] {
    const out: Float32Array[] = [];
    this.groups.forEach(({ members }, slot) => {
      const all = moments[slot]!.dataSync() as Float32Array;
      let offset = 0;
      for (const i of members) {
        const size = this.parameters[i]!.variable.size;
        out[i] = all.slice(offset, offset + size);
        offset += size;
      }
    });
    return out;
  }
}

/**
 * Groups of parameters by shape after axis 0 when `together` (a scalar stays alone: it has no axis to join
 * along), else one group per parameter, in parameter order.
 */
function groupParameters(shapes: readonly number[][], together: boolean): Group[] {
  const byTail = new Map<string, Group>();
  const groups: Group[] = [];
  shapes.forEach((shape, i) => {
    const key = together && shape.length > 0 ? JSON.stringify(shape.slice(1)) : `alone ${i}`;
    const group = byTail.get(key) ?? { members: [], rows: [], shape: [...shape] };
    if (group.members.length === 0) {
      byTail.set(key, group);
      groups.push(group);
    } else {
      group.shape[0]! += shape[0]!;
    }
    group.members.push(i);
    group.rows.push(shape[0] ?? 1);
  });
  return groups;
}
