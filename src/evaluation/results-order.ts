/**
 * How a results table is read (src/evaluation/results-table.ts): rows grouped by metric, then decoder, each in the
 * order it first appears (the evaluate stage writes latent cosine, then LPIPS and VGG 2/16 … 13/16, the paper's
 * Table 2 order), and per metric the decoder whose mean is best in that metric's direction
 * (src/evaluation/metric-direction.ts). Pure; `pam status`, `pam compare` and the report share it.
 */
import { compareByDirection } from './metric-direction.js';
import type { ResultRow } from './results-table.js';

/** `rows` ordered metric → decoder (first-appearance order of each). */
export function orderResults<R extends Pick<ResultRow, 'metric' | 'decoder'>>(rows: readonly R[]): R[] {
  const metrics = firstAppearance(rows.map((r) => r.metric));
  const decoders = firstAppearance(rows.map((r) => r.decoder));
  return [...rows].sort((a, b) => metrics.get(a.metric)! - metrics.get(b.metric)! || decoders.get(a.decoder)! - decoders.get(b.decoder)!);
}

/**
 * Metric → the decoder with the best mean, for metrics that more than one decoder was scored on (a lone decoder is
 * best of nothing). A tie goes to the first listed; NaN means never win.
 */
export function bestDecoderPerMetric(rows: readonly Pick<ResultRow, 'metric' | 'decoder' | 'mean'>[]): Map<string, string> {
  const best = new Map<string, string>();
  for (const metric of firstAppearance(rows.map((r) => r.metric)).keys()) {
    const scored = rows.filter((r) => r.metric === metric && !Number.isNaN(r.mean));
    if (new Set(scored.map((r) => r.decoder)).size < 2) continue;
    const winner = scored.reduce((a, b) => (compareByDirection(metric, b.mean, a.mean) < 0 ? b : a));
    best.set(metric, winner.decoder);
  }
  return best;
}

function firstAppearance(names: readonly string[]): Map<string, number> {
  const order = new Map<string, number>();
  for (const name of names) if (!order.has(name)) order.set(name, order.size);
  return order;
}
