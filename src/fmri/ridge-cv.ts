/**
 * Cross-validated ridge encoding model latent → voxels, all λ at once (algorithms.md §2.1):
 * per training fold, centre latents X and responses Y with the fold's training means (sklearn Ridge
 * fit_intercept=True), take the thin SVD X_c = U·diag(s)·Vᵀ once, form UᵀY_c once, and get the held-out prediction
 * for every λ as ((X_test − x̄)·V)·diag(s/(s² + λ))·UᵀY_c + ȳ — a diagonal rescaling per λ (himalaya
 * `solve_ridge_svd`). The fold SVDs depend on the latents only, so one `FoldBases` serves every area.
 * Instead of storing n × voxels predictions per λ, the Pearson sums of the concatenated out-of-fold predictions
 * are accumulated (responses centred over all samples first; a ridge prediction shifts with y's offset, so r is
 * unchanged and the sums need no cancelling mean term).
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import { type DenseMatrix, matmul, matmulTransposeA, zeros } from '../linalg/dense.js';
import { thinSvd } from '../linalg/thin-svd.js';
import { columnMeans } from './zscore.js';

/**
 * The λ grid: `count` values log-spaced (numpy.logspace, both ends included) from the largest to the smallest
 * squared non-zero singular value of the latent matrix (paper §2.2 with five; the authors' CustomRidgeCV ten;
 * datasets.md §D.3). "Non-zero" = above thinSvd's rank floor. The raw (uncentred) training latents are used, as
 * in the authors' code.
 */
export function lambdaGrid(latents: DenseMatrix, count: number): Float64Array {
  const s = thinSvd(latents).s;
  const high = Math.log10(s[0]! ** 2);
  const low = Math.log10(s[s.length - 1]! ** 2);
  if (count === 1) return Float64Array.of(10 ** high);
  return Float64Array.from({ length: count }, (_, k) => 10 ** (high + (k * (low - high)) / (count - 1)));
}

interface FoldBasis {
  trainRows: Int32Array;
  testRows: Int32Array;
  /** n_train × r left singular vectors of the centred training latents. */
  u: DenseMatrix;
  s: Float64Array;
  /** n_test × r: (X_test − x̄_train)·V. */
  projectedTest: DenseMatrix;
}

export interface FoldBases {
  folds: FoldBasis[];
  samples: number;
}

function rowsOf(m: DenseMatrix, rows: Int32Array): DenseMatrix {
  const out = zeros(rows.length, m.cols);
  rows.forEach((r, i) => out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return out;
}

function subtractRow(m: DenseMatrix, row: Float64Array): DenseMatrix {
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j] -= row[j]!;
  return m;
}

export function prepareFolds(latents: DenseMatrix, foldOf: Int32Array): FoldBases {
  const folds = Math.max(...foldOf) + 1;
  const bases: FoldBasis[] = [];
  for (let k = 0; k < folds; k++) {
    const trainRows = Int32Array.from(foldOf.keys()).filter((i) => foldOf[i] !== k);
    const testRows = Int32Array.from(foldOf.keys()).filter((i) => foldOf[i] === k);
    const train = rowsOf(latents, trainRows);
    const mean = columnMeans(train);
    const svd = thinSvd(subtractRow(train, mean));
    bases.push({ trainRows, testRows, u: svd.u, s: svd.s, projectedTest: matmul(subtractRow(rowsOf(latents, testRows), mean), svd.v) });
  }
  return { folds: bases, samples: latents.rows };
}

/** Pearson r (λ × voxels, row-major) of the concatenated out-of-fold predictions with the responses. */
export function crossValidatedCorrelations(bases: FoldBases, responses: DenseMatrix, lambdas: Float64Array, label: string): Float64Array {
  if (responses.rows !== bases.samples) {
    throw new DataValidationError(`${label}: ${responses.rows} response rows for ${bases.samples} latent rows`);
  }
  const voxels = responses.cols;
  const centred = subtractRow({ ...responses, data: Float64Array.from(responses.data) }, columnMeans(responses));
  const count = lambdas.length;
  const sumPrediction = new Float64Array(count * voxels);
  const sumSquares = new Float64Array(count * voxels);
  const sumCross = new Float64Array(count * voxels);
  for (const fold of bases.folds) {
    const train = rowsOf(centred, fold.trainRows);
    const trainMean = columnMeans(train);
    const uty = matmulTransposeA(fold.u, subtractRow(train, trainMean));
    // All λ in one product: rows (λ, test sample) of projectedTest·diag(s/(s²+λ)).
    const nTest = fold.testRows.length;
    const r = fold.s.length;
    const shrunk = zeros(count * nTest, r);
    lambdas.forEach((lambda, l) => {
      for (let i = 0; i < nTest; i++) {
        for (let j = 0; j < r; j++) {
          const s = fold.s[j]!;
          shrunk.data[(l * nTest + i) * r + j] = (fold.projectedTest.data[i * r + j]! * s) / (s * s + lambda);
        }
      }
    });
    const predictions = matmul(shrunk, uty);
    for (let l = 0; l < count; l++) {
      for (let i = 0; i < nTest; i++) {
        const observed = fold.testRows[i]! * voxels;
        const predicted = (l * nTest + i) * voxels;
        for (let v = 0; v < voxels; v++) {
          const p = predictions.data[predicted + v]! + trainMean[v]!;
          sumPrediction[l * voxels + v] += p;
          sumSquares[l * voxels + v] += p * p;
          sumCross[l * voxels + v] += p * centred.data[observed + v]!;
        }
      }
    }
  }
  const n = bases.samples;
  const observedSquares = new Float64Array(voxels);
  for (let i = 0; i < n; i++) for (let v = 0; v < voxels; v++) observedSquares[v] += centred.data[i * voxels + v]! ** 2;
  const correlations = new Float64Array(count * voxels);
  for (let k = 0; k < count * voxels; k++) {
    const v = k % voxels;
    const predictionSquares = sumSquares[k]! - (sumPrediction[k]! * sumPrediction[k]!) / n;
    const denominator = Math.sqrt(predictionSquares * observedSquares[v]!);
    // A prediction that is constant (all λ shrink it to 0 for a voxel the latents cannot reach) carries no signal.
    correlations[k] = denominator > 0 ? Math.max(-1, Math.min(1, sumCross[k]! / denominator)) : 0;
  }
  return correlations;
}
