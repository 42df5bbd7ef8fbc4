/**
 * Student's t distribution through the regularized incomplete beta function I_x(a, b):
 *   P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0 (Abramowitz & Stegun 26.7.1; scipy.stats.t.sf computes the same
 *   through Cephes `stdtr` → `incbet`).
 * I_x(a, b) is evaluated with the continued fraction of Numerical Recipes (3rd ed.) §6.4 `betacf`, summed by the
 * modified Lentz method, using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) on the side where the fraction converges
 * fast. The complement 1−x is passed in exactly (t²/(ν+t²)) so no cancellation occurs for small |t|.
 * ln Γ uses the Lanczos approximation (g = 7, 9 terms; Godfrey's coefficients, as in Boost/Numerical Recipes),
 * good to ~1e-15 relative. Together: ~1e-13 relative for ν up to a few thousand, which is our range.
 */

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0 (Lanczos; reflection is not needed for the positive arguments used here). */
export function logGamma(z: number): number {
  if (!(z > 0)) throw new RangeError(`logGamma needs z > 0, got ${z}`);
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const zm1 = z - 1;
  let series = LANCZOS_COEFFICIENTS[0]!;
  for (let k = 1; k < LANCZOS_COEFFICIENTS.length; k++) series += LANCZOS_COEFFICIENTS[k]! / (zm1 + k);
  const t = zm1 + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zm1 + 0.5) * Math.log(t) - t + Math.log(series);
}

/** ln B(a, b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const TINY = 1e-300;
const EPSILON = 1e-16;
const MAX_ITERATIONS = 10000;

/** Continued fraction for I_x(a,b) (NR §6.4 `betacf`), modified Lentz; `xc` = 1 − x given exactly. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new RangeError(`incomplete beta continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/**
 * Regularized incomplete beta I_x(a, b), with `xc` = 1 − x supplied by the caller when it is known more
 * accurately than 1 − x (default: computed).
 */
export function regularizedIncompleteBeta(a: number, b: number, x: number, xc = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1, got ${x}`);
  if (x === 0) return 0;
  if (xc === 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(xc) - logBeta(a, b);
  // NR §6.4: the fraction converges rapidly for x < (a+1)/(a+b+2); otherwise use the symmetry relation.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, xc)) / b;
}

function requireDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`Student t needs df > 0, got ${df}`);
}

/** P(T > t) for T ~ t(df) (= scipy.stats.t.sf(t, df)). */
export function studentTSurvival(t: number, df: number): number {
  requireDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // x = ν/(ν+t²) and its exact complement t²/(ν+t²): the tail is ½·I_x(ν/2, ½).
  const tail = 0.5 * regularizedIncompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
  return t >= 0 ? tail : 1 - tail;
}

/** P(T ≤ t) for T ~ t(df) (= scipy.stats.t.cdf(t, df)). */
export function studentTCdf(t: number, df: number): number {
  return studentTSurvival(-t, df);
}

export type Alternative = 'two-sided' | 'greater' | 'less';

/** p-value of a t statistic under the given alternative (scipy's `_get_pvalue` convention). */
export function studentTPValue(t: number, df: number, alternative: Alternative): number {
  switch (alternative) {
    case 'greater':
      return studentTSurvival(t, df);
    case 'less':
      return studentTCdf(t, df);
    case 'two-sided':
      return Math.min(1, 2 * studentTSurvival(Math.abs(t), df));
  }
}
