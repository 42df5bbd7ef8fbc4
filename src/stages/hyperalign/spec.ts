/** Stage `hyperalign`: per-area PyMVPA hyperalignment of trial-level fMRI into one decoding dataset. */
import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

export const hyperalignParams = z
  .object({
    /** Areas to align (default: every area of the input, in its order). */
    areas: z.array(z.string().min(1)).min(1).optional(),
    /** ddof of the final train-statistics z-score; PAM's `get_god` uses 1 (docs/datasets.md §B.5). */
    zscoreDdof: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Write the p_subject × p_common projections (large at GOD scale: ~30 MB per subject and area). */
    writeMappers: z.boolean().default(true),
  })
  .strict();

export type HyperalignParams = z.infer<typeof hyperalignParams>;

export const spec: StageSpec<typeof hyperalignParams> = {
  kind: 'hyperalign',
  description: 'Hyperalign subjects per area (PyMVPA 3-level Procrustes), average repetitions and subjects, z-score',
  codeVersion: '1',
  inputs: ['trials'],
  /** `latents`: an invert-latents artifact, for real photographs whose latents are not known. */
  optionalInputs: ['latents'],
  params: hyperalignParams,
  loadRunner: async () => (await import('./runner.js')).runner,
};
