/**
 * Voxel selection per area (paper §2.2; authors' `get_god` + `CustomRidgeCV`, docs/datasets.md §D.3): a ridge encoding
 * model latent → voxels whose λ is chosen INSIDE each outer training fold by sklearn `RidgeCV`'s efficient
 * leave-one-out error (one λ for the area, from a grid built on that fold's latents; src/fmri/ridge-cv.ts), Pearson r between each voxel's out-of-fold
 * predictions and its responses, a t-test on r with n − 2 degrees of freedom, and Benjamini–Hochberg FDR at α within
 * the area. Because λ never sees the held-out fold, r is a plain out-of-fold correlation and its t-test is valid.
 *
 * Sidedness is the caller's choice. The authors' `pearson_correlation_coefficient` is two-sided (p = 2·T.sf(|t|)),
 * but out-of-fold ridge predictions of a pure-noise voxel are anti-correlated with it: under strong shrinkage the
 * prediction is the training-fold mean ȳ₋ₖ = (Σy − Σ_k y)/(n − n_k), whose correlation with y is −1/√n_k (−0.09 at
 * GOD's n_k = 120, t ≈ −3.2, two-sided p ≈ 0.002). A two-sided test therefore selects noise voxels with negative r
 * (fixtures/fmri/voxel_selection_reference.json shows it: r = −0.33 selected); 'greater' (docs/algorithms.md §2.3) does not.
 */
import type { DenseMatrix } from '../linalg/dense.js';
import { benjaminiHochberg } from '../stats/fdr.js';
import { pearsonPValue } from '../stats/pearson.js';
import type { Alternative } from '../stats/student-t.js';
import { columnCorrelations, nestedRidgePredictions, type FoldBases } from './ridge-cv.js';

export interface VoxelScores {
  r: Float64Array;
  p: Float64Array;
  q: Float64Array;
  selected: Uint8Array;
  /** λ chosen for the area inside each outer training fold. */
  foldLambda: Float64Array;
  /** Its position in that fold's λ grid (0 = the largest). */
  foldLambdaIndex: Int32Array;
  /**
   * A one-number summary: the geometric mean of the folds' λ (each fold has its own grid by default, so the folds'
   * values differ even when they pick the same grid position; with one global grid and one choice it is that λ).
   */
  lambda: number;
}

/** exp(mean ln λ) over the folds; exactly λ when every fold chose the same value. */
export function summaryLambda(chosen: Float64Array): number {
  if (chosen.every((value) => value === chosen[0])) return chosen[0]!;
  return Math.exp(chosen.reduce((sum, value) => sum + Math.log(value), 0) / chosen.length);
}

export function scoreVoxels(
  bases: FoldBases,
  responses: DenseMatrix,
  options: { alpha: number; alternative: Alternative; label: string; onFold?: (done: number, total: number) => void },
): VoxelScores {
  const { predictions, foldLambda, foldLambdaIndex } = nestedRidgePredictions(bases, responses, options.label, options.onFold);
  const r = columnCorrelations(predictions, responses);
  const p = r.map((value) => pearsonPValue(value, bases.samples, options.alternative));
  const { q, rejected } = benjaminiHochberg(p, options.alpha);
  return { r, p, q, selected: rejected, foldLambda, foldLambdaIndex, lambda: summaryLambda(foldLambda) };
}
