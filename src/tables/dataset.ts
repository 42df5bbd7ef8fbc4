/**
 * The table layout every dataset source produces (synthetic or real), so later stages cannot tell them apart.
 *
 * Decoding dataset (B2G-like, or fMRI after preprocessing) — tables `train` and `test`:
 *   - `item_id`   Utf8                        stimulus id
 *   - `latent`    FixedSizeList<Float32>[d]   generator latent (absent when unknown, e.g. real GOD photos)
 *   - `area:<A>`  FixedSizeList<Float32>[n_A] responses of area A (one column per area, in AREA order)
 *   schema metadata `areas`: JSON `AreaInfo[]` in order.
 *
 * Trial-level fMRI (GOD-like, before hyperalignment) — one table per subject, `trials-<subject>`:
 *   - `image_id` Utf8, `split` Utf8 (`train`|`test`), `repetition` Int32, `run` Int32
 *   - `area:<A>` FixedSizeList<Float32>[voxels of A in this subject]
 *   schema metadata `areas`: JSON `AreaInfo[]` (per-voxel area labels = column membership), `subject`.
 */
export const AREA_COLUMN_PREFIX = 'area:';

/** Column name of an area's responses. */
export function areaColumn(area: string): string {
  return `${AREA_COLUMN_PREFIX}${area}`;
}

export interface AreaInfo {
  /** Area name as in the paper (V1, V4, IT, V2, V3, LOC, FFA, PPA). */
  name: string;
  /** Number of units (channels or voxels) in this table. */
  units: number;
  /** Where these units came from in the source recording, when known (column indices, half-open). */
  sourceColumns?: [number, number];
}
