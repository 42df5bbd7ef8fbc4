/**
 * Nested cross-validated ridge encoding model latent → voxels, as the authors' `CustomRidgeCV` runs it
 * (docs/datasets.md §D.3): inside each outer KFold training fold, sklearn `RidgeCV(alphas=grid)` — efficient
 * leave-one-out, `fit_intercept=True`, `alpha_per_target=False` — picks ONE λ for the whole area by the mean squared
 * LOO error over all training samples and voxels, refits with it and predicts the held-out fold. λ is never chosen
 * on the held-out data, so the out-of-fold r is an honest statistic for the t-test (choosing the λ with the best
 * out-of-fold r per voxel would test a maximum of correlated r values, which is not t-distributed under the null).
 *
 * LOO through one SVD per fold (sklearn `_RidgeGCV._solve_svd_design_matrix_long`, docs/algorithms.md §2.1): centre X and
 * Y with the fold means (the unpenalised intercept), X_c = U·diag(s)·Vᵀ, D_λ = diag(s²/(s²+λ)); hat diagonal
 * h_i = 1/n + Σ_k U_ik² D_k; LOO residual (Y_c − U·D_λ·UᵀY_c)_i / (1 − h_i). With Q = UᵀY_c, G = Y_c·Qᵀ and
 * M = Q·Qᵀ formed once per fold, Σ_v residual_iv² = ‖Y_c,i‖² − 2 Σ_k U_ik D_k G_ik + (U_i∘D)·M·(U_i∘D)ᵀ, so each λ
 * costs n·r² instead of n·r·voxels. Ties in the LOO error keep the earlier grid value (sklearn's strict `>`).
 * Prediction at λ: ((X_test − x̄)·V)·diag(s/(s² + λ))·Q + ȳ (himalaya `solve_ridge_svd`). The fold SVDs depend on
 * the latents only, so one `FoldBases` serves every area.
 *
 * The λ grid (`lambdaGrid`) is built inside each training fold from that fold's latents, as the authors'
 * `CustomRidgeCV(w_train, …)` does (its `alphas` come from the SVD of the fold's w_train; `tdado/pam` `datasets.py`
 * `get_god`, `classes.py`), by default; `'global'` builds one grid from all training latents for every fold.
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import { type DenseMatrix, matmul, matmulTransposeA, matmulTransposeB, scaleColumns, zeros } from '../linalg/dense.js';
import { singularValues, thinSvd } from '../linalg/thin-svd.js';
import { columnMeans } from './zscore.js';

/**
 * The λ grid: `count` values log-spaced (numpy.logspace, both ends included) from the largest to the smallest
 * squared non-zero singular value of the latent matrix (paper §2.2 with five; the authors' CustomRidgeCV ten;
 * docs/datasets.md §D.3). "Non-zero" = above thinSvd's rank floor. The raw (uncentred) latents are used, as in the
 * authors' code.
 */
export function lambdaGrid(latents: DenseMatrix, count: number): Float64Array {
  const s = singularValues(latents);
  const high = Math.log10(s[0]! ** 2);
  const low = Math.log10(s[s.length - 1]! ** 2);
  if (count === 1) return Float64Array.of(10 ** high);
  return Float64Array.from({ length: count }, (_, k) => 10 ** (high + (k * (low - high)) / (count - 1)));
}

/** Where the λ grid comes from: each training fold's latents (the authors' code) or all training latents. */
export type LambdaGridSource = 'per-fold' | 'global';

interface FoldBasis {
  trainRows: Int32Array;
  testRows: Int32Array;
  /** The λ grid RidgeCV searches in this fold. */
  lambdas: Float64Array;
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
  rows.forEach((r, i) => {
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  });
  return out;
}

function subtractRow(m: DenseMatrix, row: Float64Array): DenseMatrix {
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j] -= row[j]!;
  return m;
}

export function prepareFolds(latents: DenseMatrix, foldOf: Int32Array, lambdaCount: number, gridSource: LambdaGridSource): FoldBases {
  const folds = Math.max(...foldOf) + 1;
  const globalGrid = gridSource === 'global' ? lambdaGrid(latents, lambdaCount) : null;
  const bases: FoldBasis[] = [];
  for (let k = 0; k < folds; k++) {
    const trainRows = Int32Array.from(foldOf.keys()).filter((i) => foldOf[i] !== k);
    const testRows = Int32Array.from(foldOf.keys()).filter((i) => foldOf[i] === k);
    const train = rowsOf(latents, trainRows);
    const lambdas = globalGrid ?? lambdaGrid(train, lambdaCount);
    const mean = columnMeans(train);
    const svd = thinSvd(subtractRow(train, mean));
    const projectedTest = matmul(subtractRow(rowsOf(latents, testRows), mean), svd.v);
    bases.push({ trainRows, testRows, lambdas, u: svd.u, s: svd.s, projectedTest });
  }
  return { folds: bases, samples: latents.rows };
}

export interface NestedRidgeResult {
  /** samples × voxels out-of-fold predictions (responses centred over all samples; r is shift-invariant). */
  predictions: DenseMatrix;
  /** λ chosen inside each training fold. */
  foldLambda: Float64Array;
  /** Its position in that fold's grid (0 = the largest λ). */
  foldLambdaIndex: Int32Array;
  /** folds × λ mean squared LOO error (sklearn RidgeCV `cv_results_` averaged over samples and voxels). */
  looMse: Float64Array;
}

/** Mean squared LOO error of every λ on one training fold (centred responses yc, basis u/s of the centred latents). */
function looMeanSquaredErrors(u: DenseMatrix, s: Float64Array, yc: DenseMatrix, q: DenseMatrix, lambdas: Float64Array): Float64Array {
  const n = u.rows;
  const rank = s.length;
  const g = matmulTransposeB(yc, q);
  const m = matmulTransposeB(q, q);
  const rowSquares = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let v = 0; v < yc.cols; v++) rowSquares[i] += yc.data[i * yc.cols + v]! ** 2;
  return lambdas.map((lambda) => {
    const shrink = s.map((x) => (x * x) / (x * x + lambda));
    const ud = scaleColumns({ ...u, data: Float64Array.from(u.data) }, shrink);
    const udm = matmul(ud, m);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let leverage = 1 / n;
      let cross = 0;
      let quadratic = 0;
      for (let k = 0; k < rank; k++) {
        const at = i * rank + k;
        leverage += u.data[at]! * ud.data[at]!;
        cross += ud.data[at]! * g.data[at]!;
        quadratic += udm.data[at]! * ud.data[at]!;
      }
      total += (rowSquares[i]! - 2 * cross + quadratic) / (1 - leverage) ** 2;
    }
    return total / (n * yc.cols);
  });
}

/**
 * Out-of-fold predictions with λ chosen by RidgeCV's LOO inside each training fold (see the header). `onFold`
 * reports each finished fold (an area at GOD scale takes a while: the stage stays heard from).
 */
export function nestedRidgePredictions(
  bases: FoldBases,
  responses: DenseMatrix,
  label: string,
  onFold: (done: number, total: number) => void = () => {},
): NestedRidgeResult {
  if (responses.rows !== bases.samples) {
    throw new DataValidationError(`${label}: ${responses.rows} response rows for ${bases.samples} latent rows`);
  }
  const voxels = responses.cols;
  // Centring over all samples first keeps the fold means small; predictions shift with it, r does not.
  const centred = subtractRow({ ...responses, data: Float64Array.from(responses.data) }, columnMeans(responses));
  const predictions = zeros(bases.samples, voxels);
  const foldLambda = new Float64Array(bases.folds.length);
  const foldLambdaIndex = new Int32Array(bases.folds.length);
  const gridSize = bases.folds[0]!.lambdas.length;
  const looMse = new Float64Array(bases.folds.length * gridSize);
  bases.folds.forEach((fold, f) => {
    const lambdas = fold.lambdas;
    const train = rowsOf(centred, fold.trainRows);
    const trainMean = columnMeans(train);
    const yc = subtractRow(train, trainMean);
    const q = matmulTransposeA(fold.u, yc);
    const errors = looMeanSquaredErrors(fold.u, fold.s, yc, q, lambdas);
    looMse.set(errors, f * gridSize);
    let best = 0;
    for (let l = 1; l < lambdas.length; l++) if (errors[l]! < errors[best]!) best = l;
    const lambda = lambdas[best]!;
    foldLambda[f] = lambda;
    foldLambdaIndex[f] = best;
    const shrunk = scaleColumns(
      { ...fold.projectedTest, data: Float64Array.from(fold.projectedTest.data) },
      fold.s.map((x) => x / (x * x + lambda)),
    );
    const predicted = matmul(shrunk, q);
    fold.testRows.forEach((row, i) => {
      for (let v = 0; v < voxels; v++) predictions.data[row * voxels + v] = predicted.data[i * voxels + v]! + trainMean[v]!;
    });
    onFold(f + 1, bases.folds.length);
  });
  return { predictions, foldLambda, foldLambdaIndex, looMse };
}

/** Pearson r per column of two samples × voxels matrices; a constant prediction carries no signal (r = 0). */
export function columnCorrelations(predictions: DenseMatrix, responses: DenseMatrix): Float64Array {
  const n = predictions.rows;
  const voxels = predictions.cols;
  const mp = columnMeans(predictions);
  const my = columnMeans(responses);
  const cross = new Float64Array(voxels);
  const pp = new Float64Array(voxels);
  const yy = new Float64Array(voxels);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < voxels; v++) {
      const a = predictions.data[i * voxels + v]! - mp[v]!;
      const b = responses.data[i * voxels + v]! - my[v]!;
      cross[v] += a * b;
      pp[v] += a * a;
      yy[v] += b * b;
    }
  }
  return cross.map((c, v) => {
    const denominator = Math.sqrt(pp[v]! * yy[v]!);
    return denominator > 0 ? Math.max(-1, Math.min(1, c / denominator)) : 0;
  });
}
