/** src/stats against scipy/statsmodels values from scripts/fixtures/stats/make_stats_reference.py. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mean, sampleStd, standardError } from '../../src/stats/summary.js';
import { studentTCdf, studentTSurvival, type Alternative } from '../../src/stats/student-t.js';
import { pairedTTest } from '../../src/stats/paired-t-test.js';
import { pearsonPValue, pearsonR } from '../../src/stats/pearson.js';
import { benjaminiHochberg } from '../../src/stats/fdr.js';

interface Reference {
  student_t: { t: number; df: number; sf: number; cdf: number }[];
  paired_t: { a: number[]; b: number[]; alternative: Alternative; t: number; df: number; p: number; meanDifference: number }[];
  summary: { x: number[]; mean: number; sem: number; std_ddof1: number; std_ddof0: number }[];
  pearson: { x: number[]; y: number[]; alternative: Alternative; r: number; p: number }[];
  fdr_bh: { p: number[]; q: number[]; rejected: number[] }[];
}

const reference = JSON.parse(readFileSync(new URL('../../fixtures/stats/stats_reference.json', import.meta.url), 'utf8')) as Reference;

function assertClose(actual: number, expected: number, rtol: number, what: string, atol = 0): void {
  const ok = actual === expected || Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  assert.ok(ok, `${what}: got ${actual}, expected ${expected} (rtol ${rtol})`);
}

test('Student t sf and cdf match scipy.stats.t to 1e-10 relative', () => {
  for (const c of reference.student_t) {
    assertClose(studentTSurvival(c.t, c.df), c.sf, 1e-10, `sf(${c.t}, ${c.df})`, 1e-300);
    assertClose(studentTCdf(c.t, c.df), c.cdf, 1e-10, `cdf(${c.t}, ${c.df})`, 1e-300);
  }
});

test('mean, SD and SEM match numpy/scipy.stats.sem', () => {
  for (const c of reference.summary) {
    assertClose(mean(c.x), c.mean, 1e-12, 'mean');
    assertClose(sampleStd(c.x), c.std_ddof1, 1e-12, 'std ddof 1');
    assertClose(sampleStd(c.x, 0), c.std_ddof0, 1e-12, 'std ddof 0');
    assertClose(standardError(c.x), c.sem, 1e-12, 'sem');
  }
  assertClose(standardError([0.61, 0.55, 0.7, 0.48, 0.66]), 0.039115214, 1e-7, 'docs/algorithms.md §7 sem(a)');
});

test('paired t-test matches scipy.stats.ttest_rel for every alternative', () => {
  for (const c of reference.paired_t) {
    const result = pairedTTest(c.a, c.b, c.alternative);
    assertClose(result.t, c.t, 1e-10, 't');
    assert.equal(result.df, c.df);
    assertClose(result.p, c.p, 1e-10, `p ${c.alternative} n=${c.a.length}`);
    assertClose(result.meanDifference, c.meanDifference, 1e-10, 'mean difference');
  }
  const example = pairedTTest([0.61, 0.55, 0.7, 0.48, 0.66], [0.58, 0.5, 0.69, 0.45, 0.6]);
  assertClose(example.t, 4.12948321, 1e-8, 'docs/algorithms.md §7 t');
});

test('Pearson r and p match scipy.stats.pearsonr', () => {
  for (const c of reference.pearson) {
    const r = pearsonR(c.x, c.y);
    assertClose(r, c.r, 1e-10, `r n=${c.x.length}`);
    assertClose(pearsonPValue(r, c.x.length, c.alternative), c.p, 1e-10, `p ${c.alternative} n=${c.x.length}`);
  }
  assertClose(pearsonPValue(0.903030303030303, 10, 'greater'), 1.718061e-4, 1e-6, 'docs/algorithms.md §7 p_greater');
});

test('Benjamini–Hochberg q and rejections match statsmodels fdr_bh', () => {
  for (const c of reference.fdr_bh) {
    const { q, rejected } = benjaminiHochberg(c.p, 0.05);
    c.q.forEach((expected, i) => {
      assertClose(q[i]!, expected, 1e-12, `q[${i}]`);
    });
    assert.deepEqual([...rejected], c.rejected);
  }
  // HDLSSkST::BenHoch documentation example (docs/algorithms.md §7).
  assert.deepEqual([...benjaminiHochberg([0.5, 0.01, 0.001, 0.69, 0.02, 0.05, 0.0025]).rejected], [0, 1, 1, 0, 1, 0, 1]);
});

test('bad statistical input raises a clear error', () => {
  assert.throws(() => pearsonR([1, 1, 1], [1, 2, 3]), /constant/);
  assert.throws(() => benjaminiHochberg([0.1, Number.NaN]), /p\[1\]/);
  assert.throws(() => pairedTTest([1, 2], [1]), /length/);
  assert.throws(() => studentTSurvival(1, 0), /df > 0/);
});
