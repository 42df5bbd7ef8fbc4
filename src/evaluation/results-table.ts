/**
 * The results table (the shape of the paper's Table 2): one row per decoder × metric with mean ± SE over test
 * items and the paired t-test p-value against the reference decoder (scipy `ttest_rel` semantics).
 */
import { buildTable } from '../tables/arrow-tables.js';
import { mean, standardError } from '../stats/summary.js';
import { pairedTTest } from '../stats/paired-t-test.js';
import type { Table } from 'apache-arrow';

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

export function resultsToTable(rows: readonly ResultRow[], reference: string): Table {
  return buildTable(
    {
      decoder: { kind: 'utf8', values: rows.map((r) => r.decoder) },
      metric: { kind: 'utf8', values: rows.map((r) => r.metric) },
      mean: { kind: 'float64', values: rows.map((r) => r.mean) },
      se: { kind: 'float64', values: rows.map((r) => r.se) },
      n: { kind: 'int32', values: rows.map((r) => r.n) },
      p_vs_reference: { kind: 'float64', values: rows.map((r) => r.pVsReference) },
    },
    { reference_decoder: reference },
  );
}

export function itemScoresToTable(scores: readonly ItemScores[], itemIds: readonly string[]): Table {
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
  return buildTable({
    decoder: { kind: 'utf8', values: decoder },
    metric: { kind: 'utf8', values: metric },
    item_id: { kind: 'utf8', values: itemId },
    value: { kind: 'float64', values: value },
  });
}
