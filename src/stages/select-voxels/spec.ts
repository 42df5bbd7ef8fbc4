/**
 * Stage `select-voxels`: ridge/CV encoding-model voxel selection with BH-FDR per area (paper §2.2). λ is chosen per
 * area inside each outer training fold by sklearn RidgeCV's leave-one-out error (the authors' CustomRidgeCV).
 */
import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

export const selectVoxelsParams = z
  .object({
    /** λ grid size: the paper says 5, the authors' code uses 10 (docs/datasets.md §D.3). */
    lambdaCount: z.number().int().min(1).default(10),
    folds: z.number().int().min(2).default(10),
    /** KFold shuffle seed; 7 reproduces the authors' KFold(10, shuffle=True, random_state=7). */
    foldSeed: z.number().int().min(0).max(0xffffffff).default(7),
    alpha: z.number().gt(0).lt(1).default(0.05),
    /**
     * 'greater' by default: a pure-noise voxel's out-of-fold ridge predictions are ANTI-correlated with it (under
     * strong shrinkage a prediction is the training-fold mean, r ≈ −1/√(fold size)), so a two-sided test — the
     * authors' choice — selects noise voxels with significantly negative r. See src/fmri/voxel-selection.ts.
     */
    alternative: z.enum(['two-sided', 'greater', 'less']).default('greater'),
  })
  .strict();

export type SelectVoxelsParams = z.infer<typeof selectVoxelsParams>;

export const spec: StageSpec<typeof selectVoxelsParams> = {
  kind: 'select-voxels',
  description:
    'Keep voxels a cross-validated ridge latent→voxel model predicts (λ by leave-one-out inside each training fold; Pearson t-test, BH-FDR per area)',
  codeVersion: '2',
  inputs: ['dataset'],
  params: selectVoxelsParams,
  loadRunner: async () => (await import('./runner.js')).runner,
};
