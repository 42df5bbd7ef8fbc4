/**
 * Column-wise z-scoring of samples × features matrices.
 * `zscoreInPlace` is PyMVPA's `zscore` (mvpa2/mappers/zscore.py; docs/algorithms.md §1.2): np.mean / np.std with
 * ddof 0, and a feature with SD 0 is only de-meaned. `ColumnScaler` keeps the statistics of one matrix so test
 * data can be standardised with the training mean and SD (docs/datasets.md §B.5: PAM z-scores each ROI with the
 * training statistics, ddof 1).
 */
import type { DenseMatrix } from '../linalg/dense.js';

export interface ColumnScaler {
  mean: Float64Array;
  /** SD per column; 1 where the column is constant (so it is only de-meaned). */
  scale: Float64Array;
}

export function columnMeans(a: DenseMatrix): Float64Array {
  const means = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) means[j] += a.data[i * a.cols + j]!;
  }
  for (let j = 0; j < a.cols; j++) means[j] /= a.rows;
  return means;
}

export function fitColumnScaler(a: DenseMatrix, ddof: number): ColumnScaler {
  if (a.rows <= ddof) throw new RangeError(`z-scoring with ddof ${ddof} needs more than ${ddof} rows, got ${a.rows}`);
  const mean = columnMeans(a);
  const squares = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const d = a.data[i * a.cols + j]! - mean[j]!;
      squares[j] += d * d;
    }
  }
  const scale = squares.map((sum) => {
    const sd = Math.sqrt(sum / (a.rows - ddof));
    return sd > 0 ? sd : 1;
  });
  return { mean, scale };
}

/** (a − mean)/scale in place. */
export function applyColumnScaler(a: DenseMatrix, scaler: ColumnScaler): DenseMatrix {
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const k = i * a.cols + j;
      a.data[k] = (a.data[k]! - scaler.mean[j]!) / scaler.scale[j]!;
    }
  }
  return a;
}

/** PyMVPA zscore (ddof 0) in place. */
export function zscoreInPlace(a: DenseMatrix): DenseMatrix {
  return applyColumnScaler(a, fitColumnScaler(a, 0));
}
