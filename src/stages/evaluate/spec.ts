import { z } from 'zod';
import {
  featureNetRefSchema,
  generatorRefSchema,
  lpipsRefSchema,
  modelWeightsInputs,
  describeGenerator,
} from '../../images/plugins/model-refs.js';
import type { StageSpec } from '../stage-spec.js';
import { FLOAT32_BYTES, type MemoryPart, type PlanIssue, type PlannedInput, type StageEstimate } from '../stage-plan.js';

const params = z
  .object({
    /** Decoder every other decoder is compared against with a paired t-test (the paper's "linear" baseline). */
    referenceDecoder: z.string().min(1).default('baseline'),
    /**
     * Image metrics (LPIPS, VGG 2/16 … 13/16), reconstructions, value images and the contact sheet are added when a
     * generator is given; stimuli come from the optional `images` input (a `stimuli` table) or generator(test latents).
     */
    generator: generatorRefSchema.optional(),
    /** Feature network of the image metrics (default: the seeded VGG16 stand-in). */
    featureNet: featureNetRefSchema.optional(),
    /** LPIPS linear weights; absent = the `lpips=False` variant (labelled in the summary). */
    lpipsWeights: lpipsRefSchema.optional(),
    /** Resize target of perceptual similarity; absent = 224, torchvision's preprocessing for real VGG16. */
    perceptualSize: z.number().int().positive().max(1024).optional(),
    /** Test items shown in the contact sheets; absent = 10, as the paper's Fig. 4. */
    contactItems: z.number().int().positive().max(1000).optional(),
  })
  .strict();

export type EvaluateParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'evaluate',
  description:
    'Score decoded test latents (latent cosine; with a generator also LPIPS and VGG similarity of the reconstructions) per item, mean ± SE, paired t-tests',
  codeVersion: '4',
  inputs: ['dataset', 'predictions'],
  optionalInputs: ['images'],
  params,
  externalInputs: modelWeightsInputs,
  describePlan: async (p) => describeGenerator(p.generator),
  checkPlan: checkEvaluatePlan,
  estimate: estimateEvaluate,
  loadRunner: async () => (await import('./runner.js')).runner,
};

function checkEvaluatePlan(p: EvaluateParams, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const { dataset, predictions } = inputs;
  const testItems = dataset?.items?.test;
  if (dataset && testItems !== undefined && testItems < 2) {
    const message = `input dataset (stage ${dataset.from}) has ${testItems} test item(s); the standard error (ddof 1) and the paired t-tests need at least 2`;
    issues.push({ key: ['inputs', 'dataset'], message });
  }
  const decoders = predictions?.decoders;
  // With one decoder there is nothing to compare, so any reference is fine (its p-values are empty).
  if (predictions && decoders && decoders.length > 1 && !decoders.includes(p.referenceDecoder)) {
    const message = `expected one of the decoders input predictions (stage ${predictions.from}) trains: ${decoders.join(', ')}; found "${p.referenceDecoder}" (string)`;
    issues.push({ key: ['with', 'referenceDecoder'], message });
  }
  const latentDim = predictions?.latentDim;
  if (predictions && p.generator && latentDim !== undefined && p.generator.latentDim !== latentDim) {
    const message = `expected ${latentDim}, the latent width of input predictions (stage ${predictions.from}), found ${p.generator.latentDim} (number)`;
    issues.push({ key: ['with', 'generator', 'latentDim'], message });
  }
  return issues;
}

/** The tables it reads (file bytes + columns), and with a generator the stimuli and every decoder's reconstructions. */
function estimateEvaluate(p: EvaluateParams, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate {
  const memory: MemoryPart[] = [];
  for (const role of ['dataset', 'predictions', 'images'] as const) {
    const bytes = inputs[role]?.bytes;
    if (bytes !== undefined)
      memory.push({ what: `input ${role} (stage ${inputs[role]!.from}) tables, read`, bytes: 2 * bytes, key: ['inputs', role] });
  }
  const testItems = inputs['dataset']?.items?.test;
  const decoders = inputs['predictions']?.decoders?.length;
  if (p.generator && testItems !== undefined && decoders !== undefined) {
    const images = (decoders + 1) * testItems;
    const pixels = 3 * p.generator.resolution ** 2;
    memory.push({
      what: `${images} images (stimuli + reconstructions) × ${pixels} values × 4 B`,
      bytes: images * pixels * FLOAT32_BYTES,
      key: ['with', 'generator', 'resolution'],
    });
  }
  return { memory, output: {} };
}
