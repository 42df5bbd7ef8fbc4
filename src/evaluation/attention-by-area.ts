/**
 * Mean attention per area (the paper's Fig. 5): PAM's attention weights averaged over test items and latent
 * dimensions, with the standard error over items of each item's mean weight.
 */
import type { Table } from 'apache-arrow';
import { buildTable, readFloat32Matrix, readStrings } from '../tables/arrow-tables.js';
import { mean, standardError } from '../stats/summary.js';

export function attentionByArea(attention: Table, source: string): Table {
  const areas = readStrings(attention, 'area', source);
  const weights = readFloat32Matrix(attention, 'weights', source);
  const perItemMeans = new Map<string, number[]>();
  areas.forEach((area, row) => {
    let sum = 0;
    for (let j = 0; j < weights.width; j++) sum += weights.values[row * weights.width + j]!;
    if (!perItemMeans.has(area)) perItemMeans.set(area, []);
    perItemMeans.get(area)!.push(sum / weights.width);
  });
  const names = [...perItemMeans.keys()];
  return buildTable({
    area: { kind: 'utf8', values: names },
    mean_attention: { kind: 'float64', values: names.map((a) => mean(perItemMeans.get(a)!)) },
    se: { kind: 'float64', values: names.map((a) => standardError(perItemMeans.get(a)!)) },
    items: { kind: 'int32', values: names.map((a) => perItemMeans.get(a)!.length) },
  });
}
