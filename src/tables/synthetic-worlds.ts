/**
 * The ground-truth tables the synthetic worlds (src/synthetic/b2g.ts, src/synthetic/god.ts) write next to their
 * dataset tables: what was planted, so the science checks can score what a decoder or a voxel selection recovered.
 */
import { float32Vector, float64, int32, text, utf8, utf8Of, vectorFamily } from './column-types.js';
import { defineTable } from './define-table.js';
import { SPLITS } from './dataset.js';

/** B2G-like world `areas`: one row per simulated area. */
export const B2G_WORLD_AREAS = defineTable({
  name: 'areas',
  columns: { name: utf8(), units: int32(), informativeness: float64(), nonlinearity: utf8() },
});

/**
 * GOD-like world `images`: the planted stimulus latent of every image. Later stages hide it from the decoders and
 * invert the rendered images instead, as with real photographs.
 */
export const PLANTED_IMAGES = defineTable({
  name: 'images',
  columns: { image_id: utf8(), split: utf8Of(SPLITS), latent: float32Vector() },
});

/** GOD-like world `truth`: whether each voxel of each subject's area carries signal (`informative` 0/1). */
export const PLANTED_TRUTH = defineTable({
  name: 'truth',
  columns: { subject: utf8(), area: utf8(), voxel: int32(), informative: int32() },
});

/** GOD-like world `shared-<area>`: every subject's noise-free planted response (`subject:<s>`), per image. */
export const SHARED_SIGNAL = defineTable({
  name: 'shared-<area>',
  columns: { image_id: utf8(), split: utf8Of(SPLITS), subjects: vectorFamily('subject:') },
  metadata: { area: text() },
});
