/**
 * The StyleGAN2-ADA projector schedule (`NVlabs/stylegan2-ada-pytorch` `projector.py`, `project()` defaults;
 * docs/algorithms.md §5): learning-rate warm-up over the first 5 % of the steps and cosine ramp-down over the last
 * 25 %; latent noise of scale w_std · 0.05 · (1 − t/0.75)² during the first 75 % of the steps. StyleGAN-XL's
 * (`autonomousvision/stylegan_xl` run_inversion.py `project()`) has the same learning rate and no latent noise.
 */
export interface ProjectorSchedule {
  /** Number of optimisation steps per seed (the projector's `num_steps`, default 1000). */
  steps: number;
  initialLearningRate: number;
  lrRampupLength: number;
  lrRampdownLength: number;
  initialNoiseFactor: number;
  noiseRampLength: number;
}

export const STYLEGAN2_ADA_SCHEDULE: Omit<ProjectorSchedule, 'steps'> = {
  initialLearningRate: 0.1,
  lrRampupLength: 0.05,
  lrRampdownLength: 0.25,
  initialNoiseFactor: 0.05,
  noiseRampLength: 0.75,
};

/** `project()` of StyleGAN-XL: the same learning rate, no latent noise (initialNoiseFactor 0 turns it off). */
export const STYLEGAN_XL_SCHEDULE: Omit<ProjectorSchedule, 'steps'> = { ...STYLEGAN2_ADA_SCHEDULE, initialNoiseFactor: 0 };

/**
 * Largest side the loss sees: both projectors call `F.interpolate(size=(256, 256), mode='area')` on larger images,
 * which for the integer factors of StyleGAN resolutions is average pooling over factor × factor blocks
 * (src/inversion/projector.ts); a larger side that is not a multiple of it is refused at plan time.
 */
export const LOSS_RESOLUTION = 256;

/** Learning rate at `step` (0 at step 0, as in the projector). */
export function learningRateAt(schedule: ProjectorSchedule, step: number): number {
  const t = step / schedule.steps;
  let ramp = Math.min(1, (1 - t) / schedule.lrRampdownLength);
  ramp = 0.5 - 0.5 * Math.cos(ramp * Math.PI);
  ramp *= Math.min(1, t / schedule.lrRampupLength);
  return schedule.initialLearningRate * ramp;
}

/** Standard deviation of the latent noise added at `step`, given the latent prior's w_std. */
export function latentNoiseScaleAt(schedule: ProjectorSchedule, step: number, latentStd: number): number {
  const t = step / schedule.steps;
  return latentStd * schedule.initialNoiseFactor * Math.max(0, 1 - t / schedule.noiseRampLength) ** 2;
}
