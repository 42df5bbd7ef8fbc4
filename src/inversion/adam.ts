/**
 * Adam on a flat float32 parameter vector with a learning rate that may change every step, exactly as
 * `torch.optim.Adam` (single-tensor path, `torch/optim/adam.py` `_single_tensor_adam`, no weight decay, no amsgrad):
 *   m ← m + (1 − β1)(g − m);  v ← β2·v + (1 − β2)·g²;
 *   p ← p − (lr / (1 − β1^k)) · m / (√v / √(1 − β2^k) + ε)       (k = 1-based step count)
 * The projector sets the learning rate per step, which tf.train.adam cannot do, so the update runs here in JS.
 */
export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** Steps taken so far. */
  step: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export function createAdamState(size: number): AdamState {
  return { m: new Float32Array(size), v: new Float32Array(size), step: 0 };
}

/** One in-place Adam update of `params` with gradient `grad`. */
export function adamStep(params: Float32Array, grad: Float32Array, state: AdamState, learningRate: number): void {
  state.step += 1;
  const biasCorrection1 = 1 - BETA1 ** state.step;
  const biasCorrection2Sqrt = Math.sqrt(1 - BETA2 ** state.step);
  const stepSize = learningRate / biasCorrection1;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]!;
    m[i] = m[i]! + (1 - BETA1) * (g - m[i]!);
    v[i] = BETA2 * v[i]! + (1 - BETA2) * g * g;
    params[i] = params[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / biasCorrection2Sqrt + EPSILON);
  }
}
