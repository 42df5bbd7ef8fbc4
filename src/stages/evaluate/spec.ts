import { z } from 'zod';
import { featureNetRefSchema, generatorRefSchema, lpipsRefSchema } from '../../images/plugins/model-refs.js';
import type { StageSpec } from '../stage-spec.js';

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
    perceptualSize: z.number().int().positive().optional(),
    /** Test items shown in the contact sheets; absent = 10, as the paper's Fig. 4. */
    contactItems: z.number().int().positive().optional(),
  })
  .strict();

export type EvaluateParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'evaluate',
  description:
    'Score decoded test latents (latent cosine; with a generator also LPIPS and VGG similarity of the reconstructions) per item, mean ± SE, paired t-tests',
  codeVersion: '2',
  inputs: ['dataset', 'predictions'],
  optionalInputs: ['images'],
  params,
  loadRunner: async () => (await import('./runner.js')).runner,
};
