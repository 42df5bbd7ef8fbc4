/**
 * PAM's attention per test item and area, averaged over latent dimensions (the quantity behind the paper's Fig. 5,
 * whose means per area src/evaluation/attention-by-area.ts reports), and the items Figs. 6–7 show.
 */
import type { MatrixView } from '../tables/arrow-tables.js';
import type { ItemAttention } from './report-model.js';

/** Rows of the train stage's `attention` table (item-major, one row per item × area: docs/train-artifacts.md). */
export function itemAttention(
  stageId: string,
  areas: readonly string[],
  { item_id: itemIds, area: rowAreas, weights }: { item_id: readonly string[]; area: readonly string[]; weights: MatrixView<Float32Array> },
): ItemAttention {
  const byItem = new Map<string, number[]>();
  itemIds.forEach((itemId, row) => {
    let sum = 0;
    for (let j = 0; j < weights.width; j++) sum += weights.values[row * weights.width + j]!;
    let means = byItem.get(itemId);
    if (!means) {
      means = areas.map(() => Number.NaN);
      byItem.set(itemId, means);
    }
    means[areas.indexOf(rowAreas[row]!)] = sum / weights.width;
  });
  return { stageId, areas: [...areas], items: [...byItem].map(([itemId, byArea]) => ({ itemId, byArea })) };
}

/**
 * The items of Figs. 6–7: for each area, the test item that attends to it most (as the paper picks images that
 * favour one area), each item once, in area order; `limit` at most.
 */
export function itemsFavouringEachArea(attention: ItemAttention, limit: number): { itemId: string; why: string }[] {
  const chosen: { itemId: string; why: string }[] = [];
  attention.areas.forEach((area, a) => {
    let best: { itemId: string; weight: number } | undefined;
    for (const item of attention.items) {
      if (chosen.some((c) => c.itemId === item.itemId)) continue;
      const weight = item.byArea[a]!;
      if (!best || weight > best.weight) best = { itemId: item.itemId, weight };
    }
    if (best && chosen.length < limit) chosen.push({ itemId: best.itemId, why: `most attention to ${area} (${best.weight.toFixed(4)})` });
  });
  return chosen;
}
