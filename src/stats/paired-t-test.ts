/**
 * Paired t-test on matched samples (= scipy.stats.ttest_rel): d = a − b, t = mean(d) / (SD(d, ddof 1)/√n),
 * df = n − 1 (docs/algorithms.md §6). Used to compare two decoders image by image.
 */
import { mean, sampleStd } from './summary.js';
import { studentTPValue, type Alternative } from './student-t.js';

export interface PairedTTestResult {
  t: number;
  df: number;
  p: number;
  meanDifference: number;
}

export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>, alternative: Alternative = 'two-sided'): PairedTTestResult {
  if (a.length !== b.length) throw new RangeError(`pairedTTest: samples differ in length (${a.length} vs ${b.length})`);
  if (a.length < 2) throw new RangeError(`pairedTTest needs at least 2 pairs, got ${a.length}`);
  const differences = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) differences[i] = a[i]! - b[i]!;
  const meanDifference = mean(differences);
  const df = a.length - 1;
  // scipy returns t = ±inf / nan when all differences are equal; mirror that rather than dividing by zero silently.
  const t = meanDifference / (sampleStd(differences, 1) / Math.sqrt(a.length));
  return { t, df, p: studentTPValue(t, df, alternative), meanDifference };
}
