/**
 * Read the decoding dataset (layout: src/tables/dataset.ts) into the input blocks each decoder needs:
 * one block per selected area for PAM, one concatenated block (areas side by side, in the selected order) for the
 * baseline.
 */
import type { Table } from 'apache-arrow';
import { ConfigError, DataValidationError } from '../../errors/pipeline-errors.js';
import { readFloat32Matrix, readJsonMetadata, readStrings } from '../../tables/arrow-tables.js';
import { areaColumn, type AreaInfo } from '../../tables/dataset.js';

export interface SplitData {
  itemIds: string[];
  /** Per area name: row-major [rows, units]. */
  areas: Map<string, Float32Array>;
  /** Row-major [rows, d], or null when the table has no `latent` column. */
  latent: Float32Array | null;
  latentDim: number;
  rows: number;
}

export function readSplit(table: Table, source: string, requireLatent: boolean): { data: SplitData; areaInfo: AreaInfo[] } {
  const areaInfo = readJsonMetadata<AreaInfo[]>(table, 'areas', source);
  const itemIds = readStrings(table, 'item_id', source);
  const areas = new Map<string, Float32Array>();
  for (const area of areaInfo) {
    const matrix = readFloat32Matrix(table, areaColumn(area.name), source);
    if (matrix.width !== area.units) {
      throw new DataValidationError(
        `${source}: column "${areaColumn(area.name)}" has ${matrix.width} units, metadata "areas" says ${area.units}`,
      );
    }
    areas.set(area.name, matrix.values);
  }
  const hasLatent = table.schema.fields.some((f) => f.name === 'latent');
  if (requireLatent && !hasLatent) throw new DataValidationError(`${source}: missing column "latent" (training needs target latents)`);
  const latent = hasLatent ? readFloat32Matrix(table, 'latent', source) : null;
  return { data: { itemIds, areas, latent: latent?.values ?? null, latentDim: latent?.width ?? 0, rows: itemIds.length }, areaInfo };
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
