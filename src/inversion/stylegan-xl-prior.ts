/**
 * The start of StyleGAN-XL's projector (`autonomousvision/stylegan_xl` run_inversion.py `project()`;
 * docs/algorithms.md §5): w_avg = the mean of the first w row of `G.mapping(z, c)` over 10 000 z drawn with
 * `np.random.RandomState(123).randn(10000, z_dim)` (the same z for every seed and image). A conditional network also
 * needs the 10 000 classes c: the official code draws them with `torch.multinomial(probs, 10000, replacement=True)`
 * from a DeiT classifier's softmax over the target; here the probabilities come from a pluggable `ClassMixture`
 * and the draw from the seed's own stream, so the seed is what varies the start (docs/stylegan-xl.md §5).
 * w_std (the StyleGAN2-ADA projector's scale of latent noise, unused by `project()`) comes along at no cost.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/pipeline-errors.js';
import type { StyleGanXlGenerator } from '../models/stylegan-xl/stylegan-xl-generator.js';
import { NumpyRandomState } from '../random/numpy-random-state.js';
import type { Rng } from '../random/rng.js';
import type { LatentPrior } from './projector.js';

/** `project()`'s `w_avg_samples` and the seed of its z draw. */
export const W_AVG_SAMPLES = 10_000;
const Z_SEED = 123;
/** z rows mapped per call, to bound the [rows, num_ws, w_dim] output of the mapping. */
const MAPPING_BATCH = 1000;

/** Where a conditional network's classes come from, given the target (NHWC pixels in [-1, 1]). */
export interface ClassMixture {
  /** Names the mixture in logs and summaries. */
  readonly label: string;
  /** One probability per class (cDim values summing to 1). */
  classProbabilities(target: Float32Array): Float64Array;
}

/** Equal probability for each of `classes` (every class when none are listed). */
export function uniformClassMixture(classCount: number, classes?: readonly number[]): ClassMixture {
  const chosen = classes ?? Array.from({ length: classCount }, (_, c) => c);
  const outOfRange = chosen.filter((c) => c >= classCount);
  if (outOfRange.length > 0) {
    throw new ConfigError(
      `classes ${outOfRange.join(', ')} are out of range: the generator has ${classCount} classes (0 … ${classCount - 1})`,
    );
  }
  const probabilities = new Float64Array(classCount);
  for (const c of chosen) probabilities[c] = 1;
  const total = probabilities.reduce((a, b) => a + b, 0);
  for (let c = 0; c < classCount; c++) probabilities[c]! /= total;
  const label = classes ? `uniform over classes ${[...new Set(classes)].join(', ')}` : `uniform over all ${classCount} classes`;
  return { label, classProbabilities: () => probabilities };
}

/** `count` classes drawn with replacement from `probabilities` (inverse CDF on the stream's uniforms). */
export function sampleClasses(probabilities: Float64Array, count: number, rng: Rng): Int32Array {
  const cdf = new Float64Array(probabilities.length);
  let total = 0;
  for (let c = 0; c < probabilities.length; c++) cdf[c] = total += probabilities[c]!;
  const classes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const u = rng.uniform() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    classes[i] = lo;
  }
  return classes;
}

/** w_avg (and w_std) of one generator; the z draw is made once. */
export class StyleGanXlWAvg {
  private readonly z: Float32Array;

  constructor(
    private readonly generator: StyleGanXlGenerator,
    private readonly samples = W_AVG_SAMPLES,
  ) {
    this.z = Float32Array.from(new NumpyRandomState(Z_SEED).randn(samples * generator.architecture.zDim));
  }

  /** The prior of an unconditional network, or of a conditional one with one class per sample (`classes`). */
  prior(classes?: Int32Array): LatentPrior {
    const { zDim, cDim, wDim } = this.generator.architecture;
    if (cDim > 0 !== (classes !== undefined)) {
      throw new RangeError(`w_avg: a ${cDim > 0 ? 'conditional' : 'unconditional'} generator, ${classes ? 'given' : 'no'} classes`);
    }
    const sum = new Float64Array(wDim);
    let squares = 0;
    for (let start = 0; start < this.samples; start += MAPPING_BATCH) {
      const rows = Math.min(MAPPING_BATCH, this.samples - start);
      const w = tf.tidy(() => {
        const z = tf.tensor2d(this.z.subarray(start * zDim, (start + rows) * zDim), [rows, zDim]);
        const c = classes ? (tf.oneHot(tf.tensor1d(classes.subarray(start, start + rows), 'int32'), cDim).toFloat() as tf.Tensor2D) : null;
        return tf.slice(this.generator.mapping.map(z, c), [0, 0, 0], [rows, 1, wDim]);
      });
      const values = w.dataSync();
      w.dispose();
      for (let i = 0; i < values.length; i++) {
        sum[i % wDim]! += values[i]!;
        squares += values[i]! ** 2;
      }
    }
    const mean = Float32Array.from(sum, (s) => s / this.samples);
    // Σ‖w − w̄‖² = Σ‖w‖² − N‖w̄‖², in float64.
    const meanSquare = sum.reduce((a, s) => a + (s / this.samples) ** 2, 0);
    return { mean, std: Math.sqrt(Math.max(0, squares / this.samples - meanSquare)) };
  }
}
