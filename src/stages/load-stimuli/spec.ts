import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

const params = z
  .object({
    /** Folder with one subfolder per split; a relative path is relative to the pipeline YAML's folder. */
    folder: z.string().min(1),
    /** Output images are size × size (the generator's resolution). */
    size: z.number().int().min(1).max(1024).default(64),
    /** Split name → subfolder of `folder` holding `<image_id>.<jpg|jpeg|png>` files (any letter case). */
    splits: z
      .object({ train: z.string().min(1).optional(), test: z.string().min(1).optional() })
      .strict()
      .refine((s) => s.train !== undefined || s.test !== undefined, { message: 'name at least one split (train or test)' })
      .default({ train: 'train', test: 'test' }),
    /** Load only these image ids; each must have a file in one of the splits. */
    imageIds: z
      .array(z.string().min(1))
      .min(1)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'imageIds lists an id twice' })
      .optional(),
  })
  .strict();

export type LoadStimuliParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'load-stimuli',
  description:
    'Read stimulus photographs (JPEG/PNG, e.g. the GOD/Shen-19 images obtained on request) from a local folder into the ' +
    '`stimuli` table: RGB, centre crop, area-average resize to `size`, [-1, 1]; table `stimulus-files` records the ' +
    "sha256 of every file read. The folder's content is part of the cache key: changing, adding or removing an image recomputes it",
  codeVersion: '1',
  inputs: [],
  params,
  externalInputs: () => [{ label: 'stimulus folder', param: ['folder'], kind: 'folder' }],
  // How many images the folder holds is only known once it is read; their size is known now.
  estimate: (p) => ({ memory: [], output: { imageSize: p.size } }),
  loadRunner: async () => (await import('./runner.js')).runner,
};
