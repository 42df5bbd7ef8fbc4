/**
 * bdpy "BData" HDF5 files (KamitaniLab/bdpy `bdpy/bdata/bdata.py`, docs/datasets.md §B.3): `/dataset` (samples × columns,
 * float) and `/metadata/{key,description,value}` with `value` shaped (keys × columns); the older BrainDecoderToolbox2
 * writer used `/dataSet` and `/metaData` with the same orientation. A column belongs to key K where value[K] == 1
 * (bdpy `select('ROI_V1')`).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { Hdf5Reader } from './hdf5-file.js';

export interface BData {
  path: string;
  samples: number;
  columns: number;
  /** Row-major samples × columns. */
  dataset: Float64Array | Float32Array;
  keys: string[];
  /** Row-major keys × columns. */
  metadataValue: Float64Array | Float32Array;
}

const LAYOUTS = [
  { dataset: 'dataset', metadata: 'metadata' },
  { dataset: 'dataSet', metadata: 'metaData' },
] as const;

export async function readBData(path: string): Promise<BData> {
  const reader = await Hdf5Reader.open(path);
  try {
    const layout = LAYOUTS.find((l) => reader.has(l.dataset)) ?? LAYOUTS[0];
    const data = reader.numeric(layout.dataset);
    if (data.shape.length !== 2) {
      throw new DataValidationError(`${path}: dataset "${layout.dataset}" has shape (${data.shape.join(', ')}), expected 2-D`);
    }
    const [samples, columns] = data.shape as [number, number];
    const keys = reader.strings(`${layout.metadata}/key`);
    const value = reader.numeric(`${layout.metadata}/value`);
    if (value.shape.length !== 2 || value.shape[0] !== keys.length || value.shape[1] !== columns) {
      throw new DataValidationError(
        `${path}: dataset "${layout.metadata}/value" has shape (${value.shape.join(', ')}), expected (${keys.length} keys, ${columns} columns)`,
      );
    }
    return { path, samples, columns, dataset: data.values, keys, metadataValue: value.values };
  } finally {
    reader.close();
  }
}

/** Column indices flagged 1 for `key`; throws naming the file and listing the keys when the key is absent. */
export function columnsOfKey(bdata: BData, key: string): number[] {
  const k = bdata.keys.indexOf(key);
  if (k < 0) throw new DataValidationError(`${bdata.path}: metadata has no key "${key}" (keys: ${bdata.keys.join(', ')})`);
  const out: number[] = [];
  for (let c = 0; c < bdata.columns; c++) if (bdata.metadataValue[k * bdata.columns + c] === 1) out.push(c);
  return out;
}

/** The first of `candidates` present as a metadata key that flags exactly one column, and that column's values. */
export function labelColumn(bdata: BData, candidates: readonly string[]): { key: string; values: Float64Array } {
  const key = candidates.find((c) => bdata.keys.includes(c));
  if (!key) {
    throw new DataValidationError(
      `${bdata.path}: metadata has none of the keys ${candidates.join(' / ')} (keys: ${bdata.keys.join(', ')})`,
    );
  }
  const cols = columnsOfKey(bdata, key);
  if (cols.length !== 1) throw new DataValidationError(`${bdata.path}: metadata key "${key}" flags ${cols.length} columns, expected 1`);
  return { key, values: Float64Array.from({ length: bdata.samples }, (_, r) => bdata.dataset[r * bdata.columns + cols[0]!]!) };
}

/** Samples × selected columns as float32 (row-major), for an area column of a trials table. */
export function selectFloat32(bdata: BData, columns: readonly number[]): Float32Array {
  const out = new Float32Array(bdata.samples * columns.length);
  for (let r = 0; r < bdata.samples; r++) {
    for (let j = 0; j < columns.length; j++) out[r * columns.length + j] = bdata.dataset[r * bdata.columns + columns[j]!]!;
  }
  return out;
}
