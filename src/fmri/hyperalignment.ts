/**
 * PyMVPA `Hyperalignment` with its defaults (alpha 1, level2_niter 1, zscore_common, zscore_all off, ref = the
 * dataset with the most features, ties to the first; mvpa2/algorithms/hyperalignment.py, docs/algorithms.md §1.2):
 *   level 1: C = zscore(X_ref); for each other i in order: P_i = zscore(fwd_i(X_i → C)), C = zscore((P_i + C)/2).
 *            P_ref stays the raw reference data.
 *   level 2: C = mean P; for each i: C₋ᵢ = zscore((n·C − P_i)/(n − 1)), P_i = zscore(fwd_i(X_i → C₋ᵢ));
 *            after the loop C = zscore(mean P): the final common space.
 *   level 3: a fresh mapper X_i → C per dataset; these map training and held-out data (training source mean).
 * Residuals, as PyMVPA records them (`Hyperalignment._level1`, `_level2`, `get_trained_mapper`):
 *   level 1: ‖P_i − C‖ with C the common space P_i was fitted to (before the update; 0 at the reference);
 *   level 2: ‖P_i − C‖ with C = mean P of level 1, the un-z-scored level-2 common space, the same for every i —
 *            NOT the leave-one-out target C₋ᵢ that P_i was fitted to (`training_residual_errors` row 2);
 *   level 3: ‖fwd_i(X_i) − C‖ against the final common space, fwd not z-scored (`residual_errors`).
 */
import type { DenseMatrix } from '../linalg/dense.js';
import { fitProcrustes, prepareSource, type ProcrustesMapper, type ProcrustesSource } from './procrustes.js';
import { zscoreInPlace } from './zscore.js';

export interface HyperalignmentResult {
  reference: number;
  commonSpace: DenseMatrix;
  /** Level-3 mappers, one per dataset, p_i × p_ref. */
  mappers: ProcrustesMapper[];
  /** forward(X_i) of each training dataset under its level-3 mapper. */
  trainingProjections: DenseMatrix[];
  /** Rows: level 1, level 2, level 3; columns: datasets. */
  residuals: Float64Array[];
}

function frobeniusDistance(a: DenseMatrix, b: DenseMatrix): number {
  let sum = 0;
  for (let k = 0; k < a.data.length; k++) {
    const d = a.data[k]! - b.data[k]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

function copy(a: DenseMatrix): DenseMatrix {
  return { rows: a.rows, cols: a.cols, data: Float64Array.from(a.data) };
}

function meanOf(matrices: DenseMatrix[]): DenseMatrix {
  const out = copy(matrices[0]!);
  for (let m = 1; m < matrices.length; m++) {
    const data = matrices[m]!.data;
    for (let k = 0; k < out.data.length; k++) out.data[k] += data[k]!;
  }
  for (let k = 0; k < out.data.length; k++) out.data[k] /= matrices.length;
  return out;
}

/** Index of the dataset with the most features (np.argmax: the first on ties). */
export function referenceDataset(datasets: readonly DenseMatrix[]): number {
  let best = 0;
  datasets.forEach((d, i) => {
    if (d.cols > datasets[best]!.cols) best = i;
  });
  return best;
}

/**
 * Train on `datasets` (samples × features each, same samples in the same order). `labels` name the datasets in
 * errors; `onStep` reports each finished Procrustes fit (for progress).
 */
export function hyperalign(
  datasets: readonly DenseMatrix[],
  labels: readonly string[],
  onStep: (done: number, total: number) => void = () => {},
): HyperalignmentResult {
  const n = datasets.length;
  if (n < 2) throw new RangeError(`hyperalignment needs at least 2 datasets, got ${n}`);
  const total = 3 * n - 1;
  let done = 0;
  const step = () => onStep(++done, total);
  const sources: ProcrustesSource[] = datasets.map((d, i) => prepareSource(d, labels[i]!));
  const reference = referenceDataset(datasets);
  const residuals = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];

  // Level 1: incremental common space.
  let common = zscoreInPlace(copy(datasets[reference]!));
  const mapped: DenseMatrix[] = datasets.map(copy);
  for (let i = 0; i < n; i++) {
    if (i === reference) continue;
    const projected = zscoreInPlace(fitProcrustes(sources[i]!, common, labels[i]!).projected);
    mapped[i] = projected;
    residuals[0]![i] = frobeniusDistance(projected, common);
    const merged = copy(projected);
    for (let k = 0; k < merged.data.length; k++) merged.data[k] = (merged.data[k]! + common.data[k]!) / 2;
    common = zscoreInPlace(merged);
    step();
  }

  // Level 2: leave-one-out targets from the level-1 projections (one iteration, PyMVPA's default).
  common = meanOf(mapped);
  const level2: DenseMatrix[] = [];
  for (let i = 0; i < n; i++) {
    const target = copy(common);
    const own = mapped[i]!.data;
    for (let k = 0; k < target.data.length; k++) target.data[k] = (n * target.data[k]! - own[k]!) / (n - 1);
    zscoreInPlace(target);
    const projected = zscoreInPlace(fitProcrustes(sources[i]!, target, labels[i]!).projected);
    residuals[1]![i] = frobeniusDistance(projected, common);
    level2.push(projected);
    step();
  }
  const commonSpace = zscoreInPlace(meanOf(level2));

  // Level 3: final mappers against the common space; their training projections come with the fit.
  const trainingProjections: DenseMatrix[] = [];
  const mappers = sources.map((source, i) => {
    const { mapper, projected } = fitProcrustes(source, commonSpace, labels[i]!);
    residuals[2]![i] = frobeniusDistance(projected, commonSpace);
    trainingProjections.push(projected);
    step();
    return mapper;
  });
  return { reference, commonSpace, mappers, trainingProjections, residuals };
}
