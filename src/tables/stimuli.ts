/**
 * The `stimuli` table images travel in between stages:
 *   - `image_id` Utf8, `split` Utf8 (`train` | `test`)
 *   - `pixels`   FixedSizeList<Float32>[H·W·3]: NHWC RGB in [-1, 1] (the generator's output convention)
 *   schema metadata `height`, `width` (JSON numbers) and `source` (which generator/weights or loader made them).
 */
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { buildTable, readFloat32Matrix, readJsonMetadata, readStrings } from './arrow-tables.js';

export const STIMULI_TABLE = 'stimuli';

export interface Stimuli {
  ids: string[];
  splits: string[];
  /** count × H × W × 3, row-major. */
  pixels: Float32Array;
  height: number;
  width: number;
  source: string;
}

export function stimuliToTable(stimuli: Stimuli): Table {
  return buildTable(
    {
      image_id: { kind: 'utf8', values: stimuli.ids },
      split: { kind: 'utf8', values: stimuli.splits },
      pixels: { kind: 'float32-vector', width: stimuli.height * stimuli.width * 3, values: stimuli.pixels },
    },
    { height: JSON.stringify(stimuli.height), width: JSON.stringify(stimuli.width), source: stimuli.source },
  );
}

/** Read and validate a stimuli table; `source` names the file in errors. */
export function stimuliFromTable(table: Table, source: string): Stimuli {
  const height = readJsonMetadata<number>(table, 'height', source);
  const width = readJsonMetadata<number>(table, 'width', source);
  const pixels = readFloat32Matrix(table, 'pixels', source);
  if (pixels.width !== height * width * 3) {
    throw new DataValidationError(`${source}: pixels have ${pixels.width} values per row, metadata says ${height}×${width}×3`);
  }
  const ids = readStrings(table, 'image_id', source);
  const splits = readStrings(table, 'split', source);
  const badSplit = splits.findIndex((s) => s !== 'train' && s !== 'test');
  if (badSplit >= 0) throw new DataValidationError(`${source}: row ${badSplit} has split "${splits[badSplit]}" (expected train or test)`);
  for (let i = 0; i < pixels.values.length; i++) {
    const v = pixels.values[i]!;
    if (!(v >= -1.0001 && v <= 1.0001)) {
      const row = Math.floor(i / pixels.width);
      throw new DataValidationError(`${source}: row ${row} ("${ids[row]}") has pixel value ${v} outside [-1, 1]`);
    }
  }
  return { ids, splits, pixels: pixels.values, height, width, source: table.schema.metadata.get('source') ?? 'unknown' };
}

/** One image's pixels. */
export function stimulusPixels(stimuli: Stimuli, index: number): Float32Array {
  const size = stimuli.height * stimuli.width * 3;
  return stimuli.pixels.subarray(index * size, (index + 1) * size);
}
