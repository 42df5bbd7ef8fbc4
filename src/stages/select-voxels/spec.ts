/**
 * Stage `select-voxels`: ridge/CV encoding-model voxel selection with BH-FDR per area (paper §2.2). λ is chosen per
 * area inside each outer training fold by sklearn RidgeCV's leave-one-out error, from a grid built on that fold's
 * latents by default (the authors' CustomRidgeCV).
 */
import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';
import { FLOAT64_BYTES, type MemoryPart, type PlanIssue, type PlannedInput, type StageEstimate } from '../stage-plan.js';

export const selectVoxelsParams = z
  .object({
    /** λ grid size: the paper says 5, the authors' code uses 10 (docs/datasets.md §D.3). */
    lambdaCount: z.number().int().min(1).max(1000).default(10),
    /**
     * Where the λ grid's singular values come from: 'per-fold' (the authors' code: CustomRidgeCV builds its grid from
     * each KFold training fold's latents) or 'global' (one grid from all training latents, for every fold).
     * docs/algorithms.md §2.2.
     */
    lambdaGrid: z.enum(['per-fold', 'global']).default('per-fold'),
    folds: z.number().int().min(2).max(100_000).default(10),
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
  codeVersion: '4',
  inputs: ['dataset'],
  params: selectVoxelsParams,
  checkPlan: checkSelectPlan,
  estimate: estimateSelect,
  loadRunner: async () => (await import('./runner.js')).runner,
};

function checkSelectPlan(p: SelectVoxelsParams, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[] {
  const dataset = inputs['dataset'];
  const items = dataset?.items?.train;
  if (!dataset || items === undefined || p.folds <= items) return [];
  // sklearn KFold refuses more folds than samples (src/fmri/kfold.ts).
  const message = `expected at most the ${items} training items of input dataset (stage ${dataset.from}) (KFold needs a sample per fold), found ${p.folds} (number)`;
  return [{ key: ['with', 'folds'], message }];
}

/**
 * The dataset tables (file bytes + columns), and for the area being scored its float64 training matrix, its
 * out-of-fold predictions and the ridge solutions of one fold (about four items × voxels copies; areas run one by one).
 */
function estimateSelect(_p: SelectVoxelsParams, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate {
  const dataset = inputs['dataset'];
  const memory: MemoryPart[] = [];
  if (dataset?.bytes !== undefined)
    memory.push({ what: `input dataset (stage ${dataset.from}) tables, read`, bytes: 2 * dataset.bytes, key: ['inputs', 'dataset'] });
  const items = dataset?.items?.train;
  const widest = dataset?.areas && Math.max(...Object.values(dataset.areas));
  if (items !== undefined && widest !== undefined) {
    memory.push({
      what: `scoring one area: 4 × ${items} items × ${widest} voxels × 8 B`,
      bytes: 4 * items * widest * FLOAT64_BYTES,
      key: ['inputs', 'dataset'],
    });
  }
  // Kept voxels are a subset: the input's sizes bound the output's.
  const { from: _from, ...output } = dataset ?? { from: '' };
  return { memory, output };
}
