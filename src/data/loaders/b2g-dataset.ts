/** Join B2G responses and w-latents into the dataset tables of `src/tables/dataset.ts`. */
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { DATASET_SPLIT } from '../../tables/dataset.js';
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
  return DATASET_SPLIT.named(split).build(
    {
      item_id: Array.from({ length: latents.rows }, (_, i) => `${split}-${String(i + 1).padStart(4, '0')}`),
      latent: latents,
      areas: new Map(B2G_AREAS.map((area) => [area.name, { width: area.units, values: responses.areas.get(area.name)! }])),
    },
    { areas: [...B2G_AREAS] },
  );
}
