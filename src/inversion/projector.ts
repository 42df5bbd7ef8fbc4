/**
 * GAN inversion by optimisation, following the StyleGAN2-ADA projector (`NVlabs/stylegan2-ada-pytorch`
 * `projector.py`; docs/algorithms.md §5) with the paper's ten seeds (§2.2.1: "repeated this ten times with a
 * different seed and selected the latent that resulted in the lowest LPIPS distance"):
 *   - w_avg, w_std from 10 000 prior samples drawn with seed 123 (the projector's `RandomState(123)`);
 *   - each seed starts at w_avg plus seed-dependent noise of scale w_std · initialNoiseFactor (the "average
 *     latent plus seed-dependent noise": the built-in generator has no noise buffers for the seed to vary);
 *   - every step adds scheduled latent noise, synthesises, takes LPIPS to the target as the loss and makes one Adam
 *     step at the scheduled learning rate; the final latent is the last w (no noise);
 *   - the seed with the lowest final LPIPS (target vs G(w)) wins.
 * The seeds of one image run as one batch: their losses are summed, and since Adam is element-wise and each seed's
 * latent only affects its own loss term, this equals ten independent runs at a tenth of the dispatch cost.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng.js';
import { VGG16_RELU_TAPS, type FeatureNetwork } from '../images/feature-nets/feature-network.js';
import type { DifferentiableGenerator } from '../images/generators/generator.js';
import { lpipsFromFeatures, lpipsScaling, type LpipsHead } from '../evaluation/lpips.js';
import { adamStep, createAdamState, type AdamState } from './adam.js';
import { latentNoiseScaleAt, learningRateAt, type ProjectorSchedule } from './projector-schedule.js';

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

/** The optimisation state of all seeds of one target image. */
export class SeedBatchProjector {
  readonly latents: Float32Array;
  private readonly adam: AdamState;
  private readonly targetFeatures: Record<string, tf.Tensor4D>;
  private readonly seedCount: number;

  /** `target`: one NHWC image in [-1, 1] (H·W·3 values); `initialLatents`: seeds × latentDim, row-major. */
  constructor(
    private readonly nets: InversionNets,
    target: Float32Array,
    initialLatents: Float32Array,
    private readonly schedule: ProjectorSchedule,
    private readonly latentStd: number,
  ) {
    const { generator, featureNet } = nets;
    this.latents = Float32Array.from(initialLatents);
    this.seedCount = initialLatents.length / generator.latentDim;
    this.adam = createAdamState(this.latents.length);
    this.targetFeatures = tf.tidy(() =>
      featureNet.featuresSync(lpipsScaling(tf.tensor4d(target, [1, generator.height, generator.width, 3])), VGG16_RELU_TAPS),
    );
  }

  private lossOf(latents: tf.Tensor2D): tf.Tensor1D {
    const synth = this.nets.featureNet.featuresSync(lpipsScaling(this.nets.generator.synthesize(latents)), VGG16_RELU_TAPS);
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
    const noiseScale = latentNoiseScaleAt(this.schedule, step, this.latentStd);
    const noisy = new Float32Array(this.latents.length);
    for (let i = 0; i < noisy.length; i++) noisy[i] = this.latents[i]! + noiseScale * unitNoise[i]!;
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

/** Invert one target image with every seed; `onStep` sees progress, `signal` aborts between steps. */
export function invertImage(
  nets: InversionNets,
  target: Float32Array,
  schedule: ProjectorSchedule,
  prior: LatentPrior,
  streams: readonly Rng[],
  options: { signal?: AbortSignal; onStep?: (step: number) => void } = {},
): ImageInversion {
  const dim = nets.generator.latentDim;
  const initial = new Float32Array(streams.length * dim);
  streams.forEach((rng, s) => {
    const offset = rng.normals(dim, prior.std * schedule.initialNoiseFactor);
    for (let j = 0; j < dim; j++) initial[s * dim + j] = prior.mean[j]! + offset[j]!;
  });
  const projector = new SeedBatchProjector(nets, target, initial, schedule, prior.std);
  try {
    for (let step = 0; step < schedule.steps; step++) {
      options.signal?.throwIfAborted();
      const unitNoise = new Float32Array(initial.length);
      streams.forEach((rng, s) => {
        unitNoise.set(rng.normals(dim), s * dim);
      });
      projector.step(step, unitNoise);
      options.onStep?.(step);
    }
    const lpips = projector.currentLpips();
    let best = 0;
    for (let s = 1; s < lpips.length; s++) if (lpips[s]! < lpips[best]!) best = s;
    return { latents: Float32Array.from(projector.latents), lpips, best };
  } finally {
    projector.dispose();
  }
}
