import { z } from 'zod';
import { generatorRefSchema } from '../../images/plugins/model-refs.js';
import type { StageSpec } from '../stage-spec.js';

const params = z
  .object({
    /** Generator that turns the planted latents into stimulus images (default: seeded built-in, 64 px). */
    generator: generatorRefSchema.default({ kind: 'builtin' }),
    /** Latents per generator call. */
    batchSize: z.number().int().positive().default(32),
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
  loadRunner: async () => (await import('./runner.js')).runner,
};
