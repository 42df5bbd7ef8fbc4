import { z } from 'zod';
import { featureNetRefSchema, generatorRefSchema, lpipsRefSchema } from '../../images/plugins/model-refs.js';
import { STYLEGAN2_ADA_SCHEDULE as ADA } from '../../inversion/projector-schedule.js';
import type { StageSpec } from '../stage-spec.js';

const params = z
  .object({
    /** Runs per image, each from its own seed; the lowest final LPIPS wins (paper §2.2.1: ten). */
    seeds: z.number().int().min(1).default(10),
    /** Optimisation steps per seed (the StyleGAN2-ADA projector's `num_steps` default is 1000). */
    steps: z.number().int().min(1).default(1000),
    /** Projector schedule (StyleGAN2-ADA `projector.py` defaults). */
    initialLearningRate: z.number().positive().default(ADA.initialLearningRate),
    lrRampupLength: z.number().positive().max(1).default(ADA.lrRampupLength),
    lrRampdownLength: z.number().positive().max(1).default(ADA.lrRampdownLength),
    initialNoiseFactor: z.number().nonnegative().default(ADA.initialNoiseFactor),
    noiseRampLength: z.number().positive().max(1).default(ADA.noiseRampLength),
    /** Which images to invert (the paper inverts the training images). */
    split: z.enum(['train', 'test', 'all']).default('train'),
    /** Independent activities the images are split into (contiguous ranges). */
    shards: z.number().int().min(1).default(2),
    /** Must be differentiable (tfjs): kind `builtin`. */
    generator: generatorRefSchema.default({ kind: 'builtin' }),
    featureNet: featureNetRefSchema.default({ kind: 'vgg16' }),
    /** LPIPS linear weights; absent = the `lpips=False` variant (labelled in the outputs). */
    lpipsWeights: lpipsRefSchema.optional(),
  })
  .strict();

export type InvertLatentsParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'invert-latents',
  description:
    'Invert stimulus images to generator latents: ten seeds per image with the StyleGAN2-ADA projector, LPIPS loss, keep the best',
  codeVersion: '1',
  inputs: ['images'],
  params,
  shardCount: (p) => p.shards,
  loadRunner: async () => (await import('./runner.js')).runner,
};
