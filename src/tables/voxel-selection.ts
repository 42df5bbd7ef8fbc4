/**
 * The tables of stage `select-voxels` besides its decoding dataset (DATASET_SPLIT in dataset.ts). λ is chosen per
 * area inside each outer training fold (sklearn RidgeCV LOO over that fold's grid, src/fmri/ridge-cv.ts): column
 * `lambda` holds the geometric mean of the area's fold λ, metadata `fold_lambdas` every fold's λ and
 * `fold_lambda_positions` its position in that fold's grid (0 = the largest λ).
 */
import { z } from 'zod';
import { float64, int32, json, utf8 } from './column-types.js';
import { defineTable } from './define-table.js';

/** One row per voxel: its cross-validated encoding r, p and FDR q, and whether it was kept (0/1). */
const voxelScoreColumns = {
  area: utf8(),
  voxel: int32(),
  r: float64(),
  p: float64(),
  q: float64(),
  selected: int32(),
  lambda: float64(),
};
const FOLD_LAMBDAS = z.array(z.number());
const FOLD_POSITIONS = z.array(z.number().int().min(0));

/** `voxel-scores`: every area's voxels; `fold_lambdas` is {area: [λ of fold 0, 1, …]}, positions alike. */
export const VOXEL_SCORES = defineTable({
  name: 'voxel-scores',
  columns: voxelScoreColumns,
  metadata: { fold_lambdas: json(z.record(FOLD_LAMBDAS)), fold_lambda_positions: json(z.record(FOLD_POSITIONS)) },
});

/** The checkpoint of one scored area (`scores`); `fold_lambdas` is that area's [λ of fold 0, 1, …], positions alike. */
export const AREA_VOXEL_SCORES = defineTable({
  name: 'scores',
  columns: voxelScoreColumns,
  metadata: { fold_lambdas: json(FOLD_LAMBDAS), fold_lambda_positions: json(FOLD_POSITIONS) },
});

/** `voxel-counts`: voxels per area before and after selection (the paper's Table 1). */
export const VOXEL_COUNTS = defineTable({
  name: 'voxel-counts',
  columns: { area: utf8(), voxels_before: int32(), voxels_after: int32() },
});
