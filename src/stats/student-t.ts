/**
 * Student's t distribution through the regularized incomplete beta function I_x(a, b):
 *   P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0 (Abramowitz & Stegun 26.7.1; scipy.stats.t.sf computes the same
 *   through Boost's `students_t` cdf → `ibeta`).
 * I_x(a, b) = x^a·(1−x)^b / (a·B(a, b)) · CF, with CF the continued fraction of Numerical Recipes (3rd ed.) §6.4
 * `betacf`, summed by the modified Lentz method, using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) on the side where the
 * fraction converges fast (at most ~40 terms for the t tail at any ν). For the t tail at large ν both factors need
 * more than double arithmetic:
 *   - the prefactor's logarithm L must be right in ABSOLUTE terms (exp turns an absolute error of L into a relative
 *     one), and L reaches −700 before the tail underflows;
 *   - the fraction's partial denominators cancel to ~1/a when x is within ~1/a of 1 (see ddBetaContinuedFraction).
 * So, for the t tail:
 *   - a·ln x = −(ν/2)·ln(1 + t²/ν) is formed in double-double arithmetic (t² exact, Dekker's product; ln(1 + w)
 *     by argument reduction to [√½, √2) and the atanh series), not as (ν/2)·ln(ν/(ν+t²)) in double, which is off
 *     by (ν/2)·ulp(1) ≈ 5e-11 at ν = 1e6 for every t;
 *   - ln B(ν/2, ½) = ½ ln π + ln Γ(a) − ln Γ(a+½) takes the difference of the two ln Γ in closed form from
 *     Stirling's series (shifted up to a ≥ 10 by the recurrence), not as a difference of two Lanczos values of
 *     ~ν·ln ν each, which lost ~1e-10 relative at ν = 1e5;
 *   - above ν = 32 the fraction runs in double-double too (in double it lost up to 4e-11 at ν = 8e5).
 * Against an mpmath (50-digit) evaluation this is ≤ 1e-13 relative (measured: 7.3e-15) over ν ∈ [1, 1e6], |t| ≤ 40
 * wherever the tail is a normal double (scripts/fixtures/stats/make_student_t_reference.py,
 * test/stats/student-t-reference.test.ts); before, 3.3e-9 at ν ≈ 5e5 and 2.6e-10 at ν ≤ 1e5.
 * scipy.stats.t.sf itself is within 2e-13 of mpmath there, except at ν = 1 and |t| ≲ 1e-3 (Boost loses up to
 * 3e-9 relative); the fixture records both.
 * The generic `regularizedIncompleteBeta` keeps the plain prefactor (ln Γ by Lanczos, g = 7, 9 terms; Godfrey's
 * coefficients, as in Boost/Numerical Recipes): ~1e-13 relative while a and b stay below a few thousand.
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

/**
 * Stirling's correction δ(z) = ln Γ(z) − (z − ½)·ln z + z − ½·ln 2π = Σ_k B_2k / (2k(2k−1)·z^(2k−1)) for z ≥ 10,
 * where eight terms leave < 1e-19 (Abramowitz & Stegun 6.1.41).
 */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];
function stirlingCorrection(z: number): number {
  const z2 = 1 / (z * z);
  let sum = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) sum = sum * z2 + STIRLING[k]!;
  return sum / z;
}

/**
 * ln Γ(a) − ln Γ(a + ½) = −½·ln z + rest, to ~1e-16 absolute in `rest` for any a > 0: for z = a ≥ 10 from
 * Stirling's formula, rest = −z·ln(1 + 1/(2z)) + ½ + δ(z) − δ(z + ½), in which every term is O(1) (the ~a·ln a
 * parts cancel exactly in the algebra, not in floating point); smaller a are shifted up to z = a + k with
 * Γ(z+1) = z·Γ(z). The −½·ln z is returned apart so that the caller can cancel it against its own ½·ln ν.
 */
function logGammaRatioHalf(a: number): { z: number; rest: number } {
  let shift = 0;
  let z = a;
  while (z < 10) {
    shift += Math.log((z + 0.5) / z);
    z += 1;
  }
  return { z, rest: -z * Math.log1p(0.5 / z) + 0.5 + stirlingCorrection(z) - stirlingCorrection(z + 0.5) + shift };
}

// Double-double arithmetic (Dekker 1971; Shewchuk 1997): a value is hi + lo with |lo| ≤ ulp(hi)/2.
interface DoubleDouble {
  hi: number;
  lo: number;
}

function twoSum(a: number, b: number): DoubleDouble {
  const hi = a + b;
  const v = hi - a;
  return { hi, lo: a - (hi - v) + (b - v) };
}

function quickTwoSum(a: number, b: number): DoubleDouble {
  const hi = a + b;
  return { hi, lo: b - (hi - a) };
}

/** Veltkamp's split: a = hi + lo with 26-bit halves (|a| < 1e300). */
function split(a: number): [number, number] {
  const c = 134217729 * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

function ddAdd(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const s = twoSum(x.hi, y.hi);
  const t = twoSum(x.lo, y.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

function ddMulNumber(x: DoubleDouble, d: number): DoubleDouble {
  const p = twoProduct(x.hi, d);
  return quickTwoSum(p.hi, p.lo + x.lo * d);
}

function ddMul(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const p = twoProduct(x.hi, y.hi);
  return quickTwoSum(p.hi, p.lo + (x.hi * y.lo + x.lo * y.hi));
}

function ddDiv(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const q1 = x.hi / y.hi;
  const r = ddAdd(x, ddMulNumber(y, -q1));
  const q2 = r.hi / y.hi;
  const r2 = ddAdd(r, ddMulNumber(y, -q2));
  const q = quickTwoSum(q1, q2);
  return ddAdd(q, { hi: r2.hi / y.hi, lo: 0 });
}

const LN2: DoubleDouble = { hi: Math.LN2, lo: 2.3190468138462996e-17 };

/**
 * ln(1 + w) in double-double for w ≥ 0: 1 + w = 2^k·m with m ∈ [√½, √2), ln m = 2·atanh(s), s = (m − 1)/(m + 1),
 * |s| ≤ 0.172; the series after its first term 2s is < 0.004 and is summed in double.
 */
function ddLog1p(w: DoubleDouble): DoubleDouble {
  const onePlus = ddAdd({ hi: 1, lo: 0 }, w);
  const k = Math.round(Math.log2(onePlus.hi));
  let s: DoubleDouble;
  if (k === 0) {
    s = ddDiv(w, ddAdd({ hi: 2, lo: 0 }, w));
  } else {
    const scale = 2 ** -k;
    const m = { hi: onePlus.hi * scale, lo: onePlus.lo * scale };
    s = ddDiv(ddAdd(m, { hi: -1, lo: 0 }), ddAdd(m, { hi: 1, lo: 0 }));
  }
  const z = s.hi * s.hi;
  let series = 0;
  for (let j = 14; j >= 1; j--) series = series * z + 2 / (2 * j + 1);
  const log = ddAdd(ddMulNumber(s, 2), { hi: s.hi * z * series, lo: 0 });
  return k === 0 ? log : ddAdd(ddMulNumber(LN2, k), log);
}

const TINY = 1e-300;
const EPSILON = 1e-16;
const MAX_ITERATIONS = 10000;

/** Continued fraction for I_x(a,b) (NR §6.4 `betacf`), modified Lentz. */
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

const DD_ONE: DoubleDouble = { hi: 1, lo: 0 };

function ddTiny(v: DoubleDouble): DoubleDouble {
  return Math.abs(v.hi) < TINY ? { hi: TINY, lo: 0 } : v;
}

/**
 * The same continued fraction in double-double, for the t tail at large ν: with a ~ ν/2 and x within ~1/a of 1,
 * its partial denominators 1 + aa·d are differences of numbers near 1 that come out ~1/a, so a double evaluation
 * keeps only ~1e-16·a of relative accuracy (4e-11 at ν = 8e5). Every coefficient is formed in double-double
 * (a + m exactly), which leaves ~1e-32·a.
 */
function ddBetaContinuedFraction(a: DoubleDouble, b: DoubleDouble, x: DoubleDouble): number {
  const qab = ddAdd(a, b);
  const qap = ddAdd(a, DD_ONE);
  const qam = ddAdd(a, { hi: -1, lo: 0 });
  let c = DD_ONE;
  let d = ddTiny(ddAdd(DD_ONE, ddMulNumber(ddDiv(ddMul(qab, x), qap), -1)));
  d = ddDiv(DD_ONE, d);
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    const even = ddDiv(
      ddMul(ddMulNumber(ddAdd(b, { hi: -m, lo: 0 }), m), x),
      ddMul(ddAdd(qam, { hi: m2, lo: 0 }), ddAdd(a, { hi: m2, lo: 0 })),
    );
    d = ddDiv(DD_ONE, ddTiny(ddAdd(DD_ONE, ddMul(even, d))));
    c = ddTiny(ddAdd(DD_ONE, ddDiv(even, c)));
    h = ddMul(h, ddMul(d, c));
    const odd = ddMulNumber(
      ddDiv(
        ddMul(ddMul(ddAdd(a, { hi: m, lo: 0 }), ddAdd(qab, { hi: m, lo: 0 })), x),
        ddMul(ddAdd(a, { hi: m2, lo: 0 }), ddAdd(qap, { hi: m2, lo: 0 })),
      ),
      -1,
    );
    d = ddDiv(DD_ONE, ddTiny(ddAdd(DD_ONE, ddMul(odd, d))));
    c = ddTiny(ddAdd(DD_ONE, ddDiv(odd, c)));
    const delta = ddMul(d, c);
    h = ddMul(h, delta);
    if (Math.abs(delta.hi - 1 + delta.lo) < 1e-20) return h.hi + h.lo;
  }
  throw new RangeError(`incomplete beta continued fraction did not converge (a=${a.hi}, b=${b.hi}, x=${x.hi})`);
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
  const front = Math.exp(a * Math.log(x) + b * Math.log(xc) - logBeta(a, b));
  // NR §6.4: the fraction converges rapidly for x < (a+1)/(a+b+2); otherwise use the symmetry relation.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, xc)) / b;
}

const HALF_LOG_PI = 0.5 * Math.log(Math.PI);
const HALF: DoubleDouble = { hi: 0.5, lo: 0 };
/**
 * Up to this a = ν/2 the fraction in double loses < 2e-15 (~a·1e-16) and is ~20× cheaper than in double-double
 * (measured against mpmath: the worst error below ν = 64 is the same either way).
 */
const DOUBLE_FRACTION_UP_TO = 16;

/** ½·I_x(ν/2, ½) with x = ν/(ν+t²) = P(T > |t|), prefactor and fraction as in the header. */
function studentTTail(t: number, df: number): number {
  const a = df / 2;
  const absT = Math.abs(t);
  // Past |t| = 1e100 (Dekker's split would overflow) the tail is ~|t|^−ν: it is handed to the plain double path.
  if (absT >= 1e100) return 0.5 * regularizedIncompleteBeta(a, 0.5, df / (df + absT * absT), 1);
  const wdd = ddDiv(twoProduct(absT, absT), { hi: df, lo: 0 });
  const logOnePlusW = ddLog1p(wdd);
  // ln x^a = −a·ln(1+w); ln (1−x)^½ = ln|t| − ½·ln ν − ½·ln(1+w); −ln B(a, ½) = −½·ln π + ½·ln z − rest, and
  // ½·ln z − ½·ln ν = ½·ln(z/ν) is −½·ln 2 exactly when no shift was needed (z = ν/2).
  const powerA = ddMulNumber(logOnePlusW, -a);
  const ratio = logGammaRatioHalf(a);
  const rest = Math.log(absT) + 0.5 * Math.log(ratio.z / df) - 0.5 * logOnePlusW.hi - HALF_LOG_PI - ratio.rest;
  const logFront = ddAdd(powerA, { hi: rest, lo: 0 });
  const front = Math.exp(logFront.hi) * (1 + logFront.lo);
  // x = 1/(1+w) and 1 − x = w/(1+w), both in double-double; the branch rule of regularizedIncompleteBeta.
  const onePlusW = ddAdd(DD_ONE, wdd);
  const x = ddDiv(DD_ONE, onePlusW);
  const xc = ddDiv(wdd, onePlusW);
  const direct = x.hi < (a + 1) / (a + 2.5);
  if (front === 0) return direct ? 0 : 0.5;
  let fraction: number;
  if (a <= DOUBLE_FRACTION_UP_TO) {
    fraction = direct ? betaContinuedFraction(a, 0.5, x.hi) : betaContinuedFraction(0.5, a, xc.hi);
  } else {
    const A: DoubleDouble = { hi: a, lo: 0 };
    fraction = direct ? ddBetaContinuedFraction(A, HALF, x) : ddBetaContinuedFraction(HALF, A, xc);
  }
  return direct ? (0.5 * front * fraction) / a : 0.5 * (1 - front * fraction * 2);
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
  if (t === 0) return 0.5;
  const tail = studentTTail(t, df);
  return t > 0 ? tail : 1 - tail;
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
