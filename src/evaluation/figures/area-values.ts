/**
 * Reads PAM's per-area values from the train stage's `values` table (long layout: item_id, area, value
 * FixedSizeList<Float32>[latentDim]; see src/tables/train-outputs.ts) into one items × latentDim matrix per
 * area, in the given item order, for the value images of Figs. 6–7.
 */
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { readFloat32Matrix, readStrings } from '../../tables/arrow-tables.js';

export function readAreaValues(table: Table, itemIds: readonly string[], source: string): { area: string; values: Float32Array }[] {
  const ids = readStrings(table, 'item_id', source);
  const areas = readStrings(table, 'area', source);
  const matrix = readFloat32Matrix(table, 'value', source);
  const width = matrix.width;
  const itemRow = new Map(itemIds.map((id, i) => [id, i]));
  const byArea = new Map<string, Float32Array>();
  ids.forEach((id, row) => {
    const item = itemRow.get(id);
    if (item === undefined) throw new DataValidationError(`${source}: row ${row} has unknown test item "${id}"`);
    let values = byArea.get(areas[row]!);
    if (!values) byArea.set(areas[row]!, (values = new Float32Array(itemIds.length * width)));
    values.set(matrix.values.subarray(row * width, (row + 1) * width), item * width);
  });
  return [...byArea].map(([area, values]) => ({ area, values }));
}
