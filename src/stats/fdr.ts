/**
 * Benjamini–Hochberg false discovery rate (= statsmodels `multipletests(p, alpha, method='fdr_bh')`, whose
 * `fdrcorrection` computes q_(i) = min_{j≥i} min(1, m·p_(j)/j) over sorted p and rejects where q ≤ α;
 * docs/algorithms.md §2.4).
 */
export interface FdrResult {
  /** BH-adjusted p-values, in input order. */
  q: Float64Array;
  /** 1 where the hypothesis is rejected (q ≤ α). */
  rejected: Uint8Array;
}

export function benjaminiHochberg(p: ArrayLike<number>, alpha = 0.05): FdrResult {
  const m = p.length;
  for (let i = 0; i < m; i++) {
    const value = p[i]!;
    if (!(value >= 0 && value <= 1)) throw new RangeError(`benjaminiHochberg: p[${i}] = ${value} is not in [0, 1]`);
  }
  // Stable sort by p (statsmodels uses argsort with mergesort, a stable sort; ties do not change q anyway).
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => p[i]! - p[j]! || i - j);
  const q = new Float64Array(m);
  let runningMin = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    // p / (rank/m), the same operation order as statsmodels' `pvals_sorted / ecdffactor`.
    runningMin = Math.min(runningMin, p[index]! / (rank / m));
    q[index] = runningMin;
  }
  const rejected = new Uint8Array(m);
  for (let i = 0; i < m; i++) rejected[i] = q[i]! <= alpha ? 1 : 0;
  return { q, rejected };
}
