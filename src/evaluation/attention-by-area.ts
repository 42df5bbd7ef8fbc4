/**
 * Mean attention per area (the paper's Fig. 5): PAM's attention weights averaged over test items and latent
 * dimensions, with the standard error over items of each item's mean weight.
 */
import type { MatrixView } from '../tables/arrow-tables.js';
import type { TableSink } from '../tables/define-table.js';
import { ATTENTION_BY_AREA } from '../tables/evaluation.js';
import { mean, standardError } from '../stats/summary.js';

export interface AreaAttention {
  area: string;
  meanAttention: number;
  se: number;
  items: number;
}

/** `area` and `weights` per (item, area) row, as in the train stage's `attention` table. */
export function attentionByArea({ area: areas, weights }: { area: readonly string[]; weights: MatrixView<Float32Array> }): AreaAttention[] {
  const perItemMeans = new Map<string, number[]>();
  areas.forEach((area, row) => {
    let sum = 0;
    for (let j = 0; j < weights.width; j++) sum += weights.values[row * weights.width + j]!;
    if (!perItemMeans.has(area)) perItemMeans.set(area, []);
    perItemMeans.get(area)!.push(sum / weights.width);
  });
  return [...perItemMeans].map(([area, means]) => ({ area, meanAttention: mean(means), se: standardError(means), items: means.length }));
}

export function writeAttentionByArea(sink: TableSink, rows: readonly AreaAttention[]): void {
  ATTENTION_BY_AREA.write(sink, {
    area: rows.map((r) => r.area),
    mean_attention: rows.map((r) => r.meanAttention),
    se: rows.map((r) => r.se),
    items: rows.map((r) => r.items),
  });
}
