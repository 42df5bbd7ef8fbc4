/** Join B2G responses and w-latents into the dataset tables of `src/tables/dataset.ts`. */
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { areaColumn } from '../../tables/dataset.js';
import { buildTable, type ColumnSpec } from '../../tables/arrow-tables.js';
import { B2G_AREAS, type B2gResponses } from './b2g-mua.js';
import type { Float32Matrix } from './numpy-array.js';

/**
 * Item ids are `<split>-<1-based index, 4 digits>` in file row order (the brain2gan synthesis notebook numbers its
 * PNGs in the same order as the rows of the w arrays).
 */
export function b2gSplitTable(split: 'train' | 'test', responses: B2gResponses, latents: Float32Matrix, sources: string): Table {
  if (responses.stimuli !== latents.rows) {
    throw new DataValidationError(`${sources}: ${split} has ${responses.stimuli} MUA rows but ${latents.rows} w-latent rows`);
  }
  const columns: Record<string, ColumnSpec> = {
    item_id: { kind: 'utf8', values: Array.from({ length: latents.rows }, (_, i) => `${split}-${String(i + 1).padStart(4, '0')}`) },
    latent: { kind: 'float32-vector', width: latents.width, values: latents.values },
  };
  for (const area of B2G_AREAS) {
    columns[areaColumn(area.name)] = { kind: 'float32-vector', width: area.units, values: responses.areas.get(area.name)! };
  }
  return buildTable(columns, { areas: JSON.stringify(B2G_AREAS) });
}
