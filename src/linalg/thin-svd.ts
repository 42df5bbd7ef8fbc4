/**
 * Thin SVD A = U·diag(s)·Vᵀ through the Gram matrix of A's smaller side: eig(A·Aᵀ) when rows ≤ cols, else
 * eig(Aᵀ·A); the other factor follows as AᵀU/s (or AV/s). Why: hyperalignment works on n × p blocks with
 * n = 1200 training images and p up to ~2700 voxels, so a p × p SVD (what PyMVPA asks LAPACK for) would cost
 * (p/n)³ ≈ 11× more than this n × n eigenproblem; only the rank-min(n, p) part is ever needed.
 * Accuracy: squaring A squares its condition number, so singular vectors carry ~ε·κ² error; fMRI blocks are noisy
 * and well conditioned (κ ≲ 10² → ≲ 1e-12), and the reference tests check 1e-8 agreement with numpy.linalg.svd.
 * Directions with s ≤ s_max·√(max(n,p)·ε) are treated as rank deficiency (the Gram's rounding floor) and dropped.
 */
import { type DenseMatrix, matmul, matmulTransposeA, matmulTransposeB, scaleColumns, zeros } from './dense.js';
import { symmetricEigen, symmetricEigenvalues } from './symmetric-eigen.js';

export interface ThinSvd {
  /** rows × rank, orthonormal columns. */
  u: DenseMatrix;
  /** rank singular values, descending, all > 0. */
  s: Float64Array;
  /** cols × rank, orthonormal columns. */
  v: DenseMatrix;
}

/** Gram eigenvalues at or below this are rounding noise of a rows × cols matrix's Gram (see the header). */
export function rankFloor(gramValues: Float64Array, rows: number, cols: number): number {
  return Math.max(gramValues[0] ?? 0, 0) * Math.max(rows, cols) * Number.EPSILON;
}

/** The singular values thinSvd would return (same Gram, same rank floor), without the singular vectors. */
export function singularValues(a: DenseMatrix): Float64Array {
  const values = symmetricEigenvalues(a.rows <= a.cols ? matmulTransposeB(a, a) : matmulTransposeA(a, a));
  const floor = rankFloor(values, a.rows, a.cols);
  let rank = 0;
  while (rank < values.length && values[rank]! > floor && values[rank]! > 0) rank++;
  return Float64Array.from(values.subarray(0, rank), Math.sqrt);
}

export function thinSvd(a: DenseMatrix): ThinSvd {
  const wide = a.rows <= a.cols;
  const gram = wide ? matmulTransposeB(a, a) : matmulTransposeA(a, a);
  const { values, vectors } = symmetricEigen(gram);
  const floor = rankFloor(values, a.rows, a.cols);
  let rank = 0;
  while (rank < values.length && values[rank]! > floor && values[rank]! > 0) rank++;
  const s = new Float64Array(rank);
  for (let k = 0; k < rank; k++) s[k] = Math.sqrt(values[k]!);
  const kept = zeros(vectors.rows, rank);
  for (let i = 0; i < vectors.rows; i++) {
    kept.data.set(vectors.data.subarray(i * vectors.cols, i * vectors.cols + rank), i * rank);
  }
  const inverse = s.map((value) => 1 / value);
  if (wide) return { u: kept, s, v: scaleColumns(matmulTransposeA(a, kept), inverse) };
  return { u: scaleColumns(matmul(a, kept), inverse), s, v: kept };
}
