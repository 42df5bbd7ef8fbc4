/**
 * Voxel selection per area (paper §2.2; authors' `get_god`, datasets.md §D.3): a cross-validated ridge encoding
 * model latent → voxels, Pearson r between each voxel's out-of-fold predictions and its responses, a t-test on r
 * with n − 2 degrees of freedom, and Benjamini–Hochberg FDR at α within the area.
 *
 * λ per voxel: the grid value with the highest r of the concatenated out-of-fold predictions (the first on ties).
 * This is the per-voxel choice the authors' CustomRidgeCV makes (one α per target, chosen by CV score) collapsed
 * onto the outer 10 folds, so each voxel's reported r is an out-of-fold correlation at its own best λ.
 * Sidedness is the caller's choice. The authors' `pearson_correlation_coefficient` is two-sided (p = 2·T.sf(|t|)),
 * but out-of-fold ridge predictions of a pure-noise voxel are anti-correlated with it: under strong shrinkage the
 * prediction is the training-fold mean ȳ₋ₖ = (Σy − Σ_k y)/(n − n_k), whose correlation with y is −1/√n_k (−0.09 at
 * GOD's n_k = 120, t ≈ −3.2, two-sided p ≈ 0.002). A two-sided test therefore selects noise voxels with negative r
 * (fixtures/fmri/voxel_selection_reference.json shows it: r = −0.37 selected); 'greater' (algorithms.md §2.3) does not.
 */
import type { DenseMatrix } from '../linalg/dense.js';
import { benjaminiHochberg } from '../stats/fdr.js';
import { pearsonPValue } from '../stats/pearson.js';
import type { Alternative } from '../stats/student-t.js';
import { crossValidatedCorrelations, type FoldBases } from './ridge-cv.js';

export interface VoxelScores {
  r: Float64Array;
  p: Float64Array;
  q: Float64Array;
  selected: Uint8Array;
  /** λ chosen per voxel. */
  lambda: Float64Array;
}

export function scoreVoxels(
  bases: FoldBases,
  responses: DenseMatrix,
  lambdas: Float64Array,
  options: { alpha: number; alternative: Alternative; label: string },
): VoxelScores {
  const correlations = crossValidatedCorrelations(bases, responses, lambdas, options.label);
  const voxels = responses.cols;
  const r = new Float64Array(voxels);
  const lambda = new Float64Array(voxels);
  for (let v = 0; v < voxels; v++) {
    let best = 0;
    for (let l = 1; l < lambdas.length; l++) if (correlations[l * voxels + v]! > correlations[best * voxels + v]!) best = l;
    r[v] = correlations[best * voxels + v]!;
    lambda[v] = lambdas[best]!;
  }
  const p = r.map((value) => pearsonPValue(value, bases.samples, options.alternative));
  const { q, rejected } = benjaminiHochberg(p, options.alpha);
  return { r, p, q, selected: rejected, lambda };
}
