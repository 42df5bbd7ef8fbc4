/**
 * Reads PAM's per-area values from the train stage's `values` table (long layout, VALUES in
 * src/tables/train-outputs.ts) into one items × latentDim matrix per area, in the given item order, for the value
 * images of Figs. 6–7; none when the predictions come without values (the baseline alone).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { TableSource } from '../../tables/define-table.js';
import { VALUES } from '../../tables/train-outputs.js';

/** What the figures read of `values`: the rows alone, not the metadata. */
const AREA_VALUES = VALUES.select(['item_id', 'area', 'value']);

export function readAreaValues(predictions: TableSource, itemIds: readonly string[]): { area: string; values: Float32Array }[] {
  const table = AREA_VALUES.readIfPresent(predictions);
  if (!table) return [];
  const { item_id: ids, area: areas, value: matrix } = table.columns;
  const width = matrix.width;
  const itemRow = new Map(itemIds.map((id, i) => [id, i]));
  const byArea = new Map<string, Float32Array>();
  ids.forEach((id, row) => {
    const item = itemRow.get(id);
    if (item === undefined) throw new DataValidationError(`${table.file}: row ${row} has unknown test item "${id}"`);
    let values = byArea.get(areas[row]!);
    if (!values) {
      values = new Float32Array(itemIds.length * width);
      byArea.set(areas[row]!, values);
    }
    values.set(matrix.values.subarray(row * width, (row + 1) * width), item * width);
  });
  return [...byArea].map(([area, values]) => ({ area, values }));
}
