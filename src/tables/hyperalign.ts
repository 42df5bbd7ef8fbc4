/**
 * The tables of stage `hyperalign` besides its decoding dataset (DATASET_SPLIT in dataset.ts): the fitted mappers,
 * the Procrustes residuals, and the per-area checkpoint of the aligned responses. A mapper is
 * forward(x) = (x − source_mean)·projection + targetMean (src/fmri/procrustes.ts).
 */
import { z } from 'zod';
import { float32Vector, float64, int32, json, text, utf8 } from './column-types.js';
import { defineTable } from './define-table.js';

/** `mappers-<area>`: one row per source voxel of each subject; `projection` is p_common wide. */
export const MAPPERS = defineTable({
  name: 'mappers-<area>',
  columns: { subject: utf8(), voxel: int32(), source_mean: float64(), projection: float32Vector() },
  metadata: {
    area: text(),
    reference: text(),
    scale: json(z.record(z.number())),
    targetMean: json(z.record(z.array(z.number()))),
  },
});

/** `residuals`: PyMVPA's ‖P_i − C‖ per area, level (1–3) and subject (src/fmri/hyperalignment.ts). */
export const RESIDUALS = defineTable({
  name: 'residuals',
  columns: { area: utf8(), level: int32(), subject: utf8(), residual: float64() },
});

/** One area's aligned responses of one split (`train` | `test`), images × common-space voxels: a checkpoint part. */
export const ALIGNED_AREA = defineTable({
  name: '<split>',
  columns: { values: float32Vector() },
});
