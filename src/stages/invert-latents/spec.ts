import { z } from 'zod';
import {
  featureNetRefSchema,
  generatorRefSchema,
  lpipsRefSchema,
  modelWeightsInputs,
  describeGenerator,
} from '../../images/plugins/model-refs.js';
import { LOSS_RESOLUTION, STYLEGAN2_ADA_SCHEDULE as ADA, STYLEGAN_XL_SCHEDULE as XL } from '../../inversion/projector-schedule.js';
import type { StageSpec } from '../stage-spec.js';
import { FLOAT32_BYTES, type PlanIssue, type PlannedInput, type StageEstimate } from '../stage-plan.js';

/**
 * Each shard is an activity; a workflow may hold at most 2,000 pending activities (docs/temporal.md §3), and a
 * thousand shards is already far more than there are workers to run them.
 */
const MAX_SHARDS = 1000;

const params = z
  .object({
    /** Runs per image, each from its own seed; the lowest final LPIPS wins (paper §2.2.1: ten). */
    seeds: z.number().int().min(1).max(1000).default(10),
    /** Optimisation steps per seed (the StyleGAN2-ADA projector's `num_steps` default is 1000). */
    steps: z.number().int().min(1).max(1_000_000).default(1000),
    /** Projector schedule (StyleGAN2-ADA `projector.py` defaults; StyleGAN-XL `project()` has the same lr). */
    initialLearningRate: z.number().positive().max(10).default(ADA.initialLearningRate),
    lrRampupLength: z.number().positive().max(1).default(ADA.lrRampupLength),
    lrRampdownLength: z.number().positive().max(1).default(ADA.lrRampdownLength),
    /** Latent noise (start and steps); absent = the projector's own: 0.05 (StyleGAN2-ADA), 0 for stylegan-xl. */
    initialNoiseFactor: z.number().nonnegative().optional(),
    noiseRampLength: z.number().positive().max(1).default(ADA.noiseRampLength),
    /**
     * Conditional stylegan-xl only: the classes its w_avg samples are drawn from, uniformly; absent = all classes
     * (docs/stylegan-xl.md §5).
     */
    classes: z.array(z.number().int().nonnegative()).min(1).optional(),
    /** Which images to invert (the paper inverts the training images). */
    split: z.enum(['train', 'test', 'all']).default('train'),
    /** Independent activities the images are split into (contiguous ranges). */
    shards: z.number().int().min(1).max(MAX_SHARDS).default(2),
    /** Must be differentiable (tfjs): kind `builtin` (StyleGAN2-ADA projector) or `stylegan-xl` (its `project()`). */
    generator: generatorRefSchema.default({ kind: 'builtin' }),
    featureNet: featureNetRefSchema.default({ kind: 'vgg16' }),
    /** LPIPS linear weights; absent = the `lpips=False` variant (labelled in the outputs). */
    lpipsWeights: lpipsRefSchema.optional(),
  })
  .strict()
  .transform((p) => ({
    ...p,
    initialNoiseFactor: p.initialNoiseFactor ?? (p.generator.kind === 'stylegan-xl' ? XL : ADA).initialNoiseFactor,
  }));

export type InvertLatentsParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'invert-latents',
  description:
    'Invert stimulus images to generator latents: ten seeds per image with the StyleGAN2-ADA projector (StyleGAN-XL project() for stylegan-xl), LPIPS loss, keep the best',
  // 2: the builtin generator's upsampling gradient is a broadcast sum (right on the cpu backend, last-bit
  // differences elsewhere; docs/compute.md §1a). 3: images larger than 256 px are area-downsampled to 256 px for
  // the loss, as both official projectors do.
  codeVersion: '3',
  inputs: ['images'],
  params,
  externalInputs: modelWeightsInputs,
  describePlan: async (p) => describeGenerator(p.generator),
  shardCount: (p) => p.shards,
  checkPlan: checkInvertPlan,
  estimate: estimateInvert,
  loadRunner: async () => (await import('./runner.js')).runner,
};

/** How many images the chosen split holds, when the input's item counts are known. */
function selectedImages(p: InvertLatentsParams, images: PlannedInput | undefined): number | undefined {
  const items = images?.items;
  if (p.split === 'all') return items?.train !== undefined && items.test !== undefined ? items.train + items.test : undefined;
  return items?.[p.split];
}

function checkInvertPlan(p: InvertLatentsParams, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const { resolution } = p.generator;
  if (resolution > LOSS_RESOLUTION && resolution % LOSS_RESOLUTION !== 0) {
    // The projector area-downsamples larger images to LOSS_RESOLUTION by whole blocks; it would refuse this one.
    const message = `expected at most ${LOSS_RESOLUTION} or a multiple of ${LOSS_RESOLUTION} (the loss area-downsamples to ${LOSS_RESOLUTION} px), found ${resolution} (number)`;
    issues.push({ key: ['with', 'generator', 'resolution'], message });
  }
  const images = inputs['images'];
  if (images === undefined) return issues;
  if (images.imageSize !== undefined && images.imageSize !== p.generator.resolution) {
    const message = `expected ${images.imageSize}, the image size of input images (stage ${images.from}), found ${p.generator.resolution} (number)`;
    issues.push({ key: ['with', 'generator', 'resolution'], message });
  }
  const count = selectedImages(p, images);
  if (count !== undefined && p.shards > count) {
    const message = `expected at most the ${count} ${p.split} images of input images (stage ${images.from}) (a shard per image at most), found ${p.shards} (number)`;
    issues.push({ key: ['with', 'shards'], message });
  }
  return issues;
}

/** A shard reads the whole `stimuli` table (file bytes + pixels); its projector state per image is small. */
function estimateInvert(p: InvertLatentsParams, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate {
  const images = inputs['images'];
  const count = selectedImages(p, images);
  const latentDim = p.generator.latentDim;
  const items = count === undefined ? undefined : p.split === 'all' ? images?.items : { [p.split]: count };
  return {
    memory:
      images?.bytes !== undefined
        ? [{ what: `input images (stage ${images.from}) table, read`, bytes: 2 * images.bytes, key: ['inputs', 'images'] }]
        : [],
    output: {
      latentDim,
      ...(items ? { items } : {}),
      ...(count !== undefined ? { bytes: count * latentDim * FLOAT32_BYTES } : {}),
    },
  };
}
