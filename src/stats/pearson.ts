/**
 * Pearson correlation and its t-test p-value (docs/algorithms.md §2.3): r = Σ(x−x̄)(y−ȳ)/√(Σ(x−x̄)²Σ(y−ȳ)²),
 * t = r·√((n−2)/(1−r²)) with df = n − 2, which is exactly scipy.stats.pearsonr's p (its beta null distribution
 * of r is the same law).
 */
import { mean } from './summary.js';
import { studentTPValue, type Alternative } from './student-t.js';

export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`pearsonR: lengths differ (${x.length} vs ${y.length})`);
  if (x.length < 2) throw new RangeError(`pearsonR needs at least 2 values, got ${x.length}`);
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) throw new RangeError('pearsonR: an input is constant, the correlation is undefined');
  // Clamp like scipy: rounding can push |r| a hair above 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** p-value of a Pearson r from n pairs. */
export function pearsonPValue(r: number, n: number, alternative: Alternative = 'two-sided'): number {
  if (!(n > 2)) throw new RangeError(`pearsonPValue needs n > 2, got ${n}`);
  if (!(r >= -1 && r <= 1)) throw new RangeError(`pearsonPValue needs −1 ≤ r ≤ 1, got ${r}`);
  const df = n - 2;
  const t = Math.abs(r) === 1 ? Math.sign(r) * Infinity : r * Math.sqrt(df / ((1 - r) * (1 + r)));
  return studentTPValue(t, df, alternative);
}
