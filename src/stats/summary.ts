/**
 * Descriptive statistics over plain numeric arrays, in float64.
 * Conventions follow numpy/scipy: `sampleStd` takes `ddof` like `numpy.std` (default here 1, the unbiased
 * estimate), `standardError` equals `scipy.stats.sem` (ddof 1). Means are two-pass (mean, then centred sums),
 * which is what numpy's pairwise summation gets close to and keeps the error at ~1e-16 relative for our sizes.
 */

function requireLength(x: ArrayLike<number>, min: number, what: string): void {
  if (x.length < min) throw new RangeError(`${what} needs at least ${min} values, got ${x.length}`);
}

/** Arithmetic mean (= numpy.mean). */
export function mean(x: ArrayLike<number>): number {
  requireLength(x, 1, 'mean');
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  const first = sum / x.length;
  // A second pass on the residuals corrects the rounding of the first sum (Higham, "Accuracy and Stability", §1.9).
  let correction = 0;
  for (let i = 0; i < x.length; i++) correction += x[i]! - first;
  return first + correction / x.length;
}

/** Standard deviation with `ddof` delta degrees of freedom (= numpy.std(x, ddof=ddof)). */
export function sampleStd(x: ArrayLike<number>, ddof = 1): number {
  requireLength(x, ddof + 1, `sampleStd(ddof=${ddof})`);
  const m = mean(x);
  let squares = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    squares += d * d;
  }
  return Math.sqrt(squares / (x.length - ddof));
}

/** Standard error of the mean, SD(ddof=1)/√n (= scipy.stats.sem with its default ddof=1). */
export function standardError(x: ArrayLike<number>): number {
  return sampleStd(x, 1) / Math.sqrt(x.length);
}
