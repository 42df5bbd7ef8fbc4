/**
 * The layouts every dataset source produces (synthetic or real), so later stages cannot tell them apart. Responses
 * are one `area:<A>` column per area, in the order of the schema metadata `areas` (which also gives each width), so
 * the per-unit area labels are the column membership and a subset of areas is a subset of columns.
 */
import { z } from 'zod';
import { float32Vector, int32, json, optional, text, utf8, utf8Of, vectorFamily } from './column-types.js';
import { defineTable } from './define-table.js';

export const AREA_COLUMN_PREFIX = 'area:';

/** Column name of an area's responses. */
export function areaColumn(area: string): string {
  return `${AREA_COLUMN_PREFIX}${area}`;
}

export const SPLITS = ['train', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export interface AreaInfo {
  /** Area name as in the paper (V1, V4, IT, V2, V3, LOC, FFA, PPA). */
  name: string;
  /** Number of units (channels or voxels) in this table. */
  units: number;
  /** Where these units came from in the source recording, when known (column indices, half-open). */
  sourceColumns?: [number, number];
}

const AREA_INFO_LIST: z.ZodType<AreaInfo[], z.ZodTypeDef, unknown> = z.array(
  z.object({
    name: z.string().min(1),
    units: z.number().int().nonnegative(),
    sourceColumns: z.tuple([z.number().int(), z.number().int()]).optional(),
  }),
);

const areaShapes = {
  areas: { from: ['areas'], members: (m: { areas: AreaInfo[] }) => m.areas.map((a) => ({ name: a.name, width: a.units })) },
} as const;

/**
 * Decoding dataset (B2G-like, or fMRI after preprocessing), tables `train` and `test`: one row per stimulus.
 * `latent` is the generator latent, absent when unknown (real GOD photographs before inversion). `repetitions`
 * (synthetic B2G only) is how many noisy repetitions each response averages.
 */
export const DATASET_SPLIT = defineTable({
  name: '<split>',
  columns: { item_id: utf8(), latent: optional(float32Vector()), areas: vectorFamily(AREA_COLUMN_PREFIX) },
  metadata: { areas: json(AREA_INFO_LIST), repetitions: optional(json(z.number().int().positive())) },
  shapes: areaShapes,
});

/** Trial-level fMRI (GOD-like, before hyperalignment), one table per subject `trials-<subject>`: one row per trial. */
export const TRIALS = defineTable({
  name: 'trials-<subject>',
  columns: {
    image_id: utf8(),
    split: utf8Of(SPLITS),
    repetition: int32(),
    run: int32(),
    areas: vectorFamily(AREA_COLUMN_PREFIX),
  },
  metadata: { areas: json(AREA_INFO_LIST), subject: text() },
  shapes: areaShapes,
});
