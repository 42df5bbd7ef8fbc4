import { z } from 'zod';
import { generatorRefSchema, modelWeightsInputs, describeGenerator } from '../../images/plugins/model-refs.js';
import type { StageSpec } from '../stage-spec.js';
import { FLOAT32_BYTES, type PlanIssue, type PlannedInput, type StageEstimate } from '../stage-plan.js';

const params = z
  .object({
    /** Generator that turns the planted latents into stimulus images (default: seeded built-in, 64 px). */
    generator: generatorRefSchema.default({ kind: 'builtin' }),
    /** Latents per generator call. */
    batchSize: z.number().int().positive().max(4096).default(32),
  })
  .strict();

export type RenderStimuliParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'render-stimuli',
  description:
    'Render stimulus images = generator(planted latents) for a dataset with latents (tables train/test, or a GOD-like `images` table)',
  codeVersion: '1',
  inputs: ['dataset'],
  params,
  externalInputs: modelWeightsInputs,
  describePlan: async (p) => describeGenerator(p.generator),
  checkPlan: checkRenderPlan,
  estimate: estimateRender,
  loadRunner: async () => (await import('./runner.js')).runner,
};

function checkRenderPlan(p: RenderStimuliParams, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[] {
  const dataset = inputs['dataset'];
  const latentDim = dataset?.latentDim;
  if (dataset === undefined || latentDim === undefined || latentDim === p.generator.latentDim) return [];
  const message = `expected ${latentDim}, the latent width of input dataset (stage ${dataset.from}), found ${p.generator.latentDim} (number)`;
  return [{ key: ['with', 'generator', 'latentDim'], message }];
}

/** Every stimulus image as float32 pixels, twice while the `stimuli` table is written (src/tables/stimuli.ts). */
function estimateRender(p: RenderStimuliParams, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate {
  const items = inputs['dataset']?.items;
  const resolution = p.generator.resolution;
  const output = { imageSize: resolution, ...(items ? { items } : {}), latentDim: p.generator.latentDim };
  if (items?.train === undefined || items.test === undefined) return { memory: [], output };
  const images = items.train + items.test;
  const bytes = images * 3 * resolution ** 2 * FLOAT32_BYTES;
  return {
    memory: [
      { what: `2 copies × ${images} images × 3 × ${resolution}² pixels × 4 B`, bytes: 2 * bytes, key: ['with', 'generator', 'resolution'] },
    ],
    output: { ...output, bytes },
  };
}
