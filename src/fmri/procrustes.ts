/**
 * PyMVPA `ProcrusteanMapper` with its defaults (scaling, reflection, reduction, demean; docs/algorithms.md §1.1),
 * computed through the smaller side of the data. PyMVPA takes the SVD of Ynᵀ·Xn after zero-padding both to
 * max(p_s, p_t) columns and keeps T = V·Uᵀ cropped to p_s × p_t. We factor the centred source once,
 * X̃ = Ua·Sa·Vaᵀ (rank r ≤ n), so X̃ᵀỸ = Va·M with M = Sa·Uaᵀ·Ỹ (r × p_t), and T is the polar factor
 *   T = Va·(M·Mᵀ)^(−1/2)·M,   scale = Σ s(Xnᵀ Yn)·‖Ỹ‖/‖X̃‖ = Σ √eig(M·Mᵀ) / ‖X̃‖²   (normalising only rescales s).
 * Only an r × r eigenproblem is solved and T (p_s × p_t) is never formed for the fit itself: the training
 * projection is X̃·T = ((Ua·Sa)·N)·M with N = (M·Mᵀ)^(−1/2), and held-out data go through (((x − μ)·Va)·N)·M.
 * This equals PyMVPA's cropped T whenever the source has full column rank (n ≥ p_s; padded directions carry zero
 * singular values and fall outside the crop). When n < p_s PyMVPA's T is not unique on the directions the
 * training data never visit (LAPACK picks an arbitrary null-space basis); ours is zero there, the minimum-norm
 * choice, and both agree on every vector inside the training span (so on all training-data results).
 * Forward mapping as PyMVPA: (x − μ_source_train)·scale·T + μ_target.
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import { type DenseMatrix, frobeniusNorm, matmul, matmulTransposeA, matmulTransposeB, scaleColumns, scaleRows } from '../linalg/dense.js';
import { symmetricEigen } from '../linalg/symmetric-eigen.js';
import { rankFloor, type ThinSvd, thinSvd } from '../linalg/thin-svd.js';
import { columnMeans } from './zscore.js';

/** A training source, centred and factored once, reused by every fit against a new target (levels 1–3). */
export interface ProcrustesSource {
  mean: Float64Array;
  centered: DenseMatrix;
  svd: ThinSvd;
  squaredNorm: number;
}

export interface ProcrustesMapper {
  sourceMean: Float64Array;
  targetMean: Float64Array;
  /** p_s × r: Va, the source directions the training data span. */
  sourceBasis: DenseMatrix;
  /** r × r: N = (M·Mᵀ)^(−1/2) on its non-null directions. */
  inverseRoot: DenseMatrix;
  /** r × p_t: M = Sa·Uaᵀ·Ỹ, so proj = scale·sourceBasis·N·M (kept factored: N·M would cost r²·p_t). */
  cross: DenseMatrix;
  scale: number;
}

function centered(a: DenseMatrix, mean: Float64Array): DenseMatrix {
  const out = { rows: a.rows, cols: a.cols, data: new Float64Array(a.data.length) };
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = a.data[i * a.cols + j]! - mean[j]!;
  }
  return out;
}

export function prepareSource(source: DenseMatrix, label: string): ProcrustesSource {
  const mean = columnMeans(source);
  const c = centered(source, mean);
  const norm = frobeniusNorm(c);
  if (norm === 0) throw new DataValidationError(`${label}: data are constant over samples; Procrustes is undefined`);
  return { mean, centered: c, svd: thinSvd(c), squaredNorm: norm * norm };
}

/** Fit source → target; also returns the training projection forward(source), which the fit gets cheaply. */
export function fitProcrustes(
  source: ProcrustesSource,
  target: DenseMatrix,
  label: string,
): { mapper: ProcrustesMapper; projected: DenseMatrix } {
  if (target.rows !== source.centered.rows) {
    throw new DataValidationError(`${label}: source has ${source.centered.rows} samples, target ${target.rows}`);
  }
  const targetMean = columnMeans(target);
  const targetCentered = centered(target, targetMean);
  if (frobeniusNorm(targetCentered) === 0) {
    throw new DataValidationError(`${label}: target is constant over samples; Procrustes is undefined`);
  }
  const m = scaleRows(matmulTransposeA(source.svd.u, targetCentered), source.svd.s);
  const { values, vectors } = symmetricEigen(matmulTransposeB(m, m));
  const floor = rankFloor(values, m.rows, m.cols);
  // N = Σ_k u_k λ_k^(−1/2) u_kᵀ over the non-null directions; nuclear norm = Σ √λ_k.
  let nuclear = 0;
  const weights = new Float64Array(values.length);
  values.forEach((lambda, k) => {
    if (lambda > floor) {
      nuclear += Math.sqrt(lambda);
      weights[k] = 1 / Math.sqrt(lambda);
    }
  });
  const scale = nuclear / source.squaredNorm;
  const inverseRoot = matmulTransposeB(scaleColumns({ ...vectors, data: Float64Array.from(vectors.data) }, weights), vectors);
  const mapper = { sourceMean: source.mean, targetMean, sourceBasis: source.svd.v, inverseRoot, cross: m, scale };
  // X̃·Va = Ua·Sa, so the training projection needs no p_s-sized product.
  const reduced = scaleColumns({ ...source.svd.u, data: Float64Array.from(source.svd.u.data) }, source.svd.s);
  return { mapper, projected: applyReduced(mapper, reduced) };
}

/** (coordinates in the source basis)·scale·N·M + μ_t, multiplying the small side first. */
function applyReduced(mapper: ProcrustesMapper, reduced: DenseMatrix): DenseMatrix {
  const out = matmul(matmul(reduced, mapper.inverseRoot), mapper.cross);
  for (let k = 0; k < out.data.length; k++) out.data[k] *= mapper.scale;
  return addRowVector(out, mapper.targetMean);
}

function addRowVector(a: DenseMatrix, row: Float64Array): DenseMatrix {
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) a.data[i * a.cols + j] += row[j]!;
  }
  return a;
}

/** forward(x) = (x − μ_s)·proj + μ_t for any samples × p_s matrix (training or held-out). */
export function forward(mapper: ProcrustesMapper, x: DenseMatrix): DenseMatrix {
  return applyReduced(mapper, matmul(centered(x, mapper.sourceMean), mapper.sourceBasis));
}

/** The full p_s × p_t projection scale·T (PyMVPA's `proj`), for writing mappers out. */
export function projection(mapper: ProcrustesMapper): DenseMatrix {
  const out = matmul(matmul(mapper.sourceBasis, mapper.inverseRoot), mapper.cross);
  for (let k = 0; k < out.data.length; k++) out.data[k] *= mapper.scale;
  return out;
}
