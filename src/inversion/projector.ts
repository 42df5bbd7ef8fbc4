/**
 * GAN inversion by optimisation with the paper's ten seeds (§2.2.1: "repeated this ten times with a different seed
 * and selected the latent that resulted in the lowest LPIPS distance"), one engine for both official projectors
 * (docs/algorithms.md §5), which differ only in their start and their latent noise:
 *   - StyleGAN2-ADA (`NVlabs/stylegan2-ada-pytorch` `projector.py`), for the built-in generator: w_avg, w_std from
 *     10 000 prior samples drawn with seed 123; each seed starts at w_avg plus seed-dependent noise of scale
 *     w_std · initialNoiseFactor (the built-in generator has no noise buffers for the seed to vary), and every step
 *     adds scheduled latent noise;
 *   - StyleGAN-XL (`autonomousvision/stylegan_xl` run_inversion.py `project()`), for a stylegan-xl generator:
 *     initialNoiseFactor 0, so each seed starts at its own w_avg (src/inversion/stylegan-xl-prior.ts: the seed
 *     draws the class mixture of a conditional network) and no step adds noise;
 *   - every step synthesises, takes LPIPS to the target at 256 px at most (both projectors area-downsample larger
 *     images) as the loss and makes one Adam step at the scheduled learning rate; the final latent is the last w;
 *   - the seed with the lowest final LPIPS (target vs G(w)) wins.
 * The seeds of one image run as one batch: their losses are summed, and since Adam is element-wise and each seed's
 * latent only affects its own loss term, this equals ten independent runs at a tenth of the dispatch cost. Without
 * noise a run is a function of its start alone, so seeds that start at the same w (every seed of an unconditional
 * StyleGAN-XL) run once and share the result.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/pipeline-errors.js';
import { Rng } from '../random/rng.js';
import { VGG16_RELU_TAPS, type FeatureNetwork } from '../images/feature-nets/feature-network.js';
import type { DifferentiableGenerator } from '../images/generators/generator.js';
import { lpipsFromFeatures, lpipsScaling, type LpipsHead } from '../evaluation/lpips.js';
import { adamStep, createAdamState, type AdamState } from './adam.js';
import { latentNoiseScaleAt, learningRateAt, LOSS_RESOLUTION, type ProjectorSchedule } from './projector-schedule.js';

export interface InversionNets {
  generator: DifferentiableGenerator;
  featureNet: FeatureNetwork & { featuresSync: NonNullable<FeatureNetwork['featuresSync']> };
  lpips: LpipsHead;
}

export interface LatentPrior {
  mean: Float32Array;
  /** √(mean squared distance of a sample to the mean), the projector's scalar w_std. */
  std: number;
}

/** The prior of the built-in generator's latents, N(0, I), estimated like the projector estimates w_avg / w_std. */
export function standardNormalPrior(latentDim: number, samples = 10_000, seed = 123): LatentPrior {
  const rng = new Rng(seed);
  const draws = rng.normals(samples * latentDim);
  const mean = new Float32Array(latentDim);
  for (let i = 0; i < draws.length; i++) mean[i % latentDim] += draws[i]! / samples;
  let squared = 0;
  for (let i = 0; i < draws.length; i++) squared += (draws[i]! - mean[i % latentDim]!) ** 2;
  return { mean, std: Math.sqrt(squared / samples) };
}

function lossFactor(height: number, width: number): number {
  if (height <= LOSS_RESOLUTION && width <= LOSS_RESOLUTION) return 1;
  const factor = height / LOSS_RESOLUTION;
  if (height !== width || !Number.isInteger(factor)) {
    throw new ConfigError(
      `inversion area-downsamples images larger than ${LOSS_RESOLUTION} px to ${LOSS_RESOLUTION} px, which needs a square image ` +
        `whose side is a multiple of ${LOSS_RESOLUTION}; the generator makes ${height}×${width}`,
    );
  }
  return factor;
}

function areaDownsample(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  return factor === 1 ? images : tf.avgPool(images, factor, factor, 'valid');
}

/** The optimisation state of all seeds of one target image. */
export class SeedBatchProjector {
  readonly latents: Float32Array;
  private readonly adam: AdamState;
  private readonly targetFeatures: Record<string, tf.Tensor4D>;
  private readonly seedCount: number;
  private readonly lossFactor: number;

  /**
   * `target`: one NHWC image in [-1, 1] (H·W·3 values); `initialLatents`: seeds × latentDim, row-major;
   * `latentStds`: each seed's prior w_std, which scales its latent noise.
   */
  constructor(
    private readonly nets: InversionNets,
    target: Float32Array,
    initialLatents: Float32Array,
    private readonly schedule: ProjectorSchedule,
    private readonly latentStds: readonly number[],
  ) {
    const { generator, featureNet } = nets;
    this.latents = Float32Array.from(initialLatents);
    this.seedCount = initialLatents.length / generator.latentDim;
    if (latentStds.length !== this.seedCount) throw new RangeError(`${this.seedCount} seeds, ${latentStds.length} latent stds`);
    this.lossFactor = lossFactor(generator.height, generator.width);
    this.adam = createAdamState(this.latents.length);
    this.targetFeatures = tf.tidy(() => {
      const image = areaDownsample(tf.tensor4d(target, [1, generator.height, generator.width, 3]), this.lossFactor);
      return featureNet.featuresSync(lpipsScaling(image), VGG16_RELU_TAPS);
    });
  }

  private lossOf(latents: tf.Tensor2D): tf.Tensor1D {
    const images = areaDownsample(this.nets.generator.synthesize(latents), this.lossFactor);
    const synth = this.nets.featureNet.featuresSync(lpipsScaling(images), VGG16_RELU_TAPS);
    return lpipsFromFeatures(this.targetFeatures, synth, this.nets.lpips);
  }

  /** Each seed's LPIPS at `latents` (seeds × latentDim) and the gradient of their sum with respect to `latents`. */
  lossAndGradient(latents: Float32Array): { losses: Float32Array; gradient: Float32Array } {
    let perSeed: tf.Tensor1D | null = null;
    const { grad, value } = tf.tidy(() =>
      tf.valueAndGrad((x: tf.Tensor2D) => {
        const losses = this.lossOf(x);
        perSeed = tf.keep(losses.clone());
        return tf.sum(losses);
      })(tf.tensor2d(latents, [this.seedCount, this.nets.generator.latentDim])),
    );
    const gradient = Float32Array.from(grad.dataSync());
    const losses = Float32Array.from(perSeed!.dataSync());
    tf.dispose([grad, value, perSeed!]);
    return { losses, gradient };
  }

  /**
   * One projector step (0-based `step`): latents + noiseScale(step) · unitNoise → LPIPS → Adam at lr(step).
   * Returns each seed's loss (LPIPS of the noisy latent, as the projector logs it).
   */
  step(step: number, unitNoise: Float32Array): Float32Array {
    const dim = this.nets.generator.latentDim;
    const noisy = new Float32Array(this.latents.length);
    for (let s = 0; s < this.seedCount; s++) {
      const noiseScale = latentNoiseScaleAt(this.schedule, step, this.latentStds[s]!);
      for (let i = s * dim; i < (s + 1) * dim; i++) noisy[i] = this.latents[i]! + noiseScale * unitNoise[i]!;
    }
    const { losses, gradient } = this.lossAndGradient(noisy);
    adamStep(this.latents, gradient, this.adam, learningRateAt(this.schedule, step));
    return losses;
  }

  /** LPIPS of every seed's current latent (no noise) to the target. */
  currentLpips(): Float32Array {
    const distance = tf.tidy(() => this.lossOf(tf.tensor2d(this.latents, [this.seedCount, this.nets.generator.latentDim])));
    const values = Float32Array.from(distance.dataSync());
    distance.dispose();
    return values;
  }

  dispose(): void {
    tf.dispose(Object.values(this.targetFeatures));
  }
}

export interface ImageInversion {
  /** Final latent of every seed (seeds × latentDim). */
  latents: Float32Array;
  /** Final LPIPS of every seed. */
  lpips: Float32Array;
  /** Index (into `seeds`) of the seed with the lowest final LPIPS. */
  best: number;
}

/**
 * Random stream of one (image, seed) pair, hashed from the stage seed, the image's index and the seed number, so
 * every run of a seed is reproducible whichever shard or attempt computes it.
 */
export function seedStream(stageSeed: number, imageIndex: number, seed: number): Rng {
  return new Rng(stageSeed).fork(imageIndex).fork(seed);
}

/** Indices of the distinct rows among `rows`, and for every row the index (into those) of its first equal row. */
function distinctRows(rows: readonly Float32Array[]): { distinct: number[]; of: number[] } {
  const distinct: number[] = [];
  const of = rows.map((row) => {
    const found = distinct.findIndex((d) => rows[d]!.every((value, j) => value === row[j]));
    if (found >= 0) return found;
    distinct.push(rows.indexOf(row));
    return distinct.length - 1;
  });
  return { distinct, of };
}

/**
 * Invert one target image with every seed: seed s starts at `priors[s]`'s mean plus noise of scale
 * std · initialNoiseFactor from `streams[s]`, which also draws its per-step latent noise; `onStep` sees progress,
 * `signal` aborts between steps.
 */
export function invertImage(
  nets: InversionNets,
  target: Float32Array,
  schedule: ProjectorSchedule,
  priors: readonly LatentPrior[],
  streams: readonly Rng[],
  options: { signal?: AbortSignal; onStep?: (step: number) => void } = {},
): ImageInversion {
  if (priors.length !== streams.length) throw new RangeError(`${streams.length} seed streams, ${priors.length} priors`);
  const dim = nets.generator.latentDim;
  const noisy = schedule.initialNoiseFactor > 0;
  const starts = streams.map((rng, s) => {
    const { mean, std } = priors[s]!;
    if (!noisy) return Float32Array.from(mean);
    const offset = rng.normals(dim, std * schedule.initialNoiseFactor);
    return mean.map((m, j) => m + offset[j]!);
  });
  // With noise every seed's run differs; without, equal starts give equal runs, so each distinct start runs once.
  const { distinct, of } = noisy ? { distinct: starts.map((_, s) => s), of: starts.map((_, s) => s) } : distinctRows(starts);
  const initial = new Float32Array(distinct.length * dim);
  for (const [k, s] of distinct.entries()) initial.set(starts[s]!, k * dim);
  const stds = distinct.map((s) => priors[s]!.std);
  const projector = new SeedBatchProjector(nets, target, initial, schedule, stds);
  try {
    const unitNoise = new Float32Array(initial.length);
    for (let step = 0; step < schedule.steps; step++) {
      options.signal?.throwIfAborted();
      if (noisy) for (const [k, s] of distinct.entries()) unitNoise.set(streams[s]!.normals(dim), k * dim);
      projector.step(step, unitNoise);
      options.onStep?.(step);
    }
    const distinctLpips = projector.currentLpips();
    const latents = new Float32Array(streams.length * dim);
    for (const [s, k] of of.entries()) latents.set(projector.latents.subarray(k * dim, (k + 1) * dim), s * dim);
    const lpips = Float32Array.from(of, (k) => distinctLpips[k]!);
    let best = 0;
    for (let s = 1; s < lpips.length; s++) if (lpips[s]! < lpips[best]!) best = s;
    return { latents, lpips, best };
  } finally {
    projector.dispose();
  }
}
