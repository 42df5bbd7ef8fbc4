/**
 * Voxel selection per area (paper §2.2; authors' `get_god` + `CustomRidgeCV`, docs/datasets.md §D.3): a ridge encoding
 * model latent → voxels whose λ is chosen INSIDE each outer training fold by sklearn `RidgeCV`'s efficient
 * leave-one-out error (one λ for the area, src/fmri/ridge-cv.ts), Pearson r between each voxel's out-of-fold
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
  /** The λ chosen in most folds (ties: the earlier grid value, i.e. the stronger shrinkage) — a one-number summary. */
  lambda: number;
}

/** The most frequent value of `chosen`, counted over the grid; ties keep the earlier grid value. */
export function mostFrequentLambda(chosen: Float64Array, lambdas: Float64Array): number {
  const counts = lambdas.map((lambda) => chosen.filter((c) => c === lambda).length);
  let best = 0;
  for (let l = 1; l < lambdas.length; l++) if (counts[l]! > counts[best]!) best = l;
  return lambdas[best]!;
}

export function scoreVoxels(
  bases: FoldBases,
  responses: DenseMatrix,
  lambdas: Float64Array,
  options: { alpha: number; alternative: Alternative; label: string; onFold?: (done: number, total: number) => void },
): VoxelScores {
  const { predictions, foldLambda } = nestedRidgePredictions(bases, responses, lambdas, options.label, options.onFold);
  const r = columnCorrelations(predictions, responses);
  const p = r.map((value) => pearsonPValue(value, bases.samples, options.alternative));
  const { q, rejected } = benjaminiHochberg(p, options.alpha);
  return { r, p, q, selected: rejected, foldLambda, lambda: mostFrequentLambda(foldLambda, lambdas) };
}
