import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

const params = z
  .object({
    /** Decoder every other decoder is compared against with a paired t-test (the paper's "linear" baseline). */
    referenceDecoder: z.string().min(1).default('baseline'),
  })
  .strict();

export type EvaluateParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'evaluate',
  description: 'Score decoded test latents against the truth: latent cosine similarity per item, mean ± SE, paired t-tests',
  codeVersion: '1',
  inputs: ['dataset', 'predictions'],
  params,
  loadRunner: async () => (await import('./runner.js')).runner,
};
