/**
 * One GOD / Shen-19 BData file (one subject, one split) → a trial-level table per `src/tables/dataset.ts`.
 * Labels: `stimulus_id` (original_VC files, `<WordNet id>.<image number, 6 decimals>`; turned back into
 * `n%08d_%d` as End2EndDeepImageReconstruction `create_lmdb_data_sub-01.py` does) or `image_index` (VC_v2 files).
 * Run: bdpy/GOD key `Run` (GenericObjectDecoding `analysis_FeaturePrediction.py`).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { AreaInfo } from '../../tables/dataset.js';
import { columnsOfKey, labelColumn, selectFloat32, type BData } from './bdata.js';

/** ROIs of the Shen-19 files in AREA order (docs/datasets.md §B.3; GenericObjectDecoding `god_config.py`). */
export const GOD_AREAS = ['V1', 'V2', 'V3', 'V4', 'LOC', 'FFA', 'PPA'] as const;
const IMAGE_KEYS = ['stimulus_id', 'image_index'] as const;
const RUN_KEYS = ['Run', 'run'] as const;

export interface GodTrials {
  imageIds: string[];
  repetitions: Int32Array;
  runs: Int32Array;
  areas: { info: AreaInfo; values: Float32Array }[];
}

/** `1518878.005958` → `n01518878_5958` (6-decimal image number, rounded to undo float error). */
export function stimulusIdToImageId(id: number): string {
  const wnid = Math.floor(id);
  const image = Math.round((id - wnid) * 1e6);
  return `n${String(wnid).padStart(8, '0')}_${image}`;
}

export function bdataToTrials(bdata: BData): GodTrials {
  const label = labelColumn(bdata, IMAGE_KEYS);
  const imageIds = Array.from(label.values, (v, row) => {
    if (!Number.isFinite(v)) throw new DataValidationError(`${bdata.path}: row ${row} has a non-finite "${label.key}"`);
    return label.key === 'stimulus_id' ? stimulusIdToImageId(v) : String(Math.round(v));
  });
  const runs = Int32Array.from(labelColumn(bdata, RUN_KEYS).values, (v) => Math.round(v));
  // Repetition = how many earlier rows showed the same image (0-based, in file row order).
  const seen = new Map<string, number>();
  const repetitions = Int32Array.from(imageIds, (id) => {
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    return n;
  });
  const areas = GOD_AREAS.map((name) => {
    const columns = columnsOfKey(bdata, `ROI_${name}`);
    if (columns.length === 0) throw new DataValidationError(`${bdata.path}: metadata key "ROI_${name}" flags no columns`);
    return { info: { name, units: columns.length }, values: selectFloat32(bdata, columns) };
  });
  return { imageIds, repetitions, runs, areas };
}
