/**
 * Read the decoding dataset (layout: src/tables/dataset.ts) into the input blocks each decoder needs:
 * one block per selected area for PAM, one concatenated block (areas side by side, in the selected order) for the
 * baseline.
 */
import { ConfigError } from '../../errors/pipeline-errors.js';
import { DATASET_SPLIT, type AreaInfo, type Split } from '../../tables/dataset.js';
import type { TableSource } from '../../tables/define-table.js';

export interface SplitData {
  itemIds: string[];
  /** Per area name: row-major [rows, units]. */
  areas: Map<string, Float32Array>;
  /** Row-major [rows, d], or null when the table has no `latent` column. */
  latent: Float32Array | null;
  latentDim: number;
  rows: number;
}

export function readSplit(dataset: TableSource, split: Split, requireLatent: boolean): { data: SplitData; areaInfo: AreaInfo[] } {
  const table = DATASET_SPLIT.named(split).read(dataset);
  const { item_id: itemIds, areas } = table.columns;
  const latent = requireLatent ? table.require('latent', 'training needs target latents') : table.columns.latent;
  const data = {
    itemIds,
    areas: new Map([...areas].map(([area, m]) => [area, m.values])),
    latent: latent?.values ?? null,
    latentDim: latent?.width ?? 0,
    rows: itemIds.length,
  };
  return { data, areaInfo: table.metadata.areas };
}

/** The selected areas (default: all, in metadata order); unknown names are a ConfigError naming the option. */
export function selectAreas(available: readonly AreaInfo[], requested: readonly string[] | undefined, option: string): AreaInfo[] {
  if (!requested) return [...available];
  return requested.map((name) => {
    const area = available.find((a) => a.name === name);
    if (!area) throw new ConfigError(`${option}: unknown area "${name}" (dataset has: ${available.map((a) => a.name).join(', ')})`);
    return area;
  });
}

/** Row-wise concatenation of the selected areas' matrices. */
export function concatenateAreas(split: SplitData, areas: readonly AreaInfo[]): Float32Array {
  const width = areas.reduce((n, a) => n + a.units, 0);
  const out = new Float32Array(split.rows * width);
  let column = 0;
  for (const area of areas) {
    const block = split.areas.get(area.name)!;
    for (let row = 0; row < split.rows; row++) out.set(block.subarray(row * area.units, (row + 1) * area.units), row * width + column);
    column += area.units;
  }
  return out;
}
