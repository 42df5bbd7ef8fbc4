/**
 * The results table (the shape of the paper's Table 2): one row per decoder × metric with mean ± SE over test
 * items and the paired t-test p-value against the reference decoder (scipy `ttest_rel` semantics).
 */
import { ITEM_SCORES, RESULTS } from '../tables/evaluation.js';
import type { TableSink } from '../tables/define-table.js';
import { mean, standardError } from '../stats/summary.js';
import { pairedTTest } from '../stats/paired-t-test.js';

export interface ItemScores {
  decoder: string;
  metric: string;
  /** Per test item, in the same item order for every decoder. */
  values: Float64Array;
}

export interface ResultRow {
  decoder: string;
  metric: string;
  mean: number;
  se: number;
  n: number;
  /** Paired t-test against `reference` on the same items; NaN for the reference itself or when it is absent. */
  pVsReference: number;
}

export function summarizeScores(scores: readonly ItemScores[], reference: string): ResultRow[] {
  return scores.map((s) => {
    const ref = scores.find((r) => r.decoder === reference && r.metric === s.metric);
    const p = ref && ref !== s ? pairedTTest(s.values, ref.values).p : Number.NaN;
    return { decoder: s.decoder, metric: s.metric, mean: mean(s.values), se: standardError(s.values), n: s.values.length, pVsReference: p };
  });
}

export function writeResults(sink: TableSink, rows: readonly ResultRow[], reference: string): void {
  RESULTS.write(
    sink,
    {
      decoder: rows.map((r) => r.decoder),
      metric: rows.map((r) => r.metric),
      mean: rows.map((r) => r.mean),
      se: rows.map((r) => r.se),
      n: rows.map((r) => r.n),
      p_vs_reference: rows.map((r) => r.pVsReference),
    },
    { reference_decoder: reference },
  );
}

export function writeItemScores(sink: TableSink, scores: readonly ItemScores[], itemIds: readonly string[]): void {
  const decoder: string[] = [];
  const metric: string[] = [];
  const itemId: string[] = [];
  const value: number[] = [];
  for (const s of scores) {
    s.values.forEach((v, i) => {
      decoder.push(s.decoder);
      metric.push(s.metric);
      itemId.push(itemIds[i]!);
      value.push(v);
    });
  }
  ITEM_SCORES.write(sink, { decoder, metric, item_id: itemId, value });
}
