/**
 * Trial-level responses → one response per image (mean over repetitions), with the input checks the preprocessing
 * relies on: finite values, every subject shown the same images, no voxel constant over the training images
 * (a constant voxel has no defined z-score and no correlation; PyMVPA would silently only de-mean it).
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import type { DenseMatrix } from '../linalg/dense.js';
import { areaColumn } from '../tables/dataset.js';

export interface SubjectTrialData {
  subject: string;
  imageIds: readonly string[];
  split: readonly string[];
  /** Per area name, trials × voxels (float32 as stored). */
  areas: ReadonlyMap<string, { voxels: number; values: Float32Array }>;
}

export interface ImageOrder {
  train: string[];
  test: string[];
}

/** Sorted image ids per split of one subject, with a check that no image sits in both splits. */
function imagesOf(data: SubjectTrialData): ImageOrder {
  const train = new Set<string>();
  const test = new Set<string>();
  data.imageIds.forEach((id, t) => {
    const split = data.split[t];
    if (split === 'train') train.add(id);
    else if (split === 'test') test.add(id);
    else throw new DataValidationError(`trials-${data.subject}: row ${t} has split "${split}", expected train|test`);
  });
  for (const id of train) {
    if (test.has(id)) throw new DataValidationError(`trials-${data.subject}: image "${id}" appears in train and test`);
  }
  return { train: [...train].sort(), test: [...test].sort() };
}

/** The common image order; throws naming the subject and an image when the subjects' image sets differ. */
export function commonImageOrder(subjects: readonly SubjectTrialData[]): ImageOrder {
  const first = imagesOf(subjects[0]!);
  for (const other of subjects.slice(1)) {
    const mine = imagesOf(other);
    for (const split of ['train', 'test'] as const) {
      const expected = new Set(first[split]);
      const got = new Set(mine[split]);
      const missing = first[split].find((id) => !got.has(id));
      const extra = mine[split].find((id) => !expected.has(id));
      if (missing !== undefined || extra !== undefined) {
        throw new DataValidationError(
          `trials-${other.subject}: ${split} images differ from trials-${subjects[0]!.subject} ` +
            (missing !== undefined ? `(missing "${missing}")` : `(unexpected "${extra}")`),
        );
      }
    }
  }
  return first;
}

/** Mean over repetitions for the images of one split, rows in `order`. Checks every value is finite. */
export function averageRepetitions(data: SubjectTrialData, area: string, split: 'train' | 'test', order: readonly string[]): DenseMatrix {
  const block = data.areas.get(area);
  if (!block) throw new DataValidationError(`trials-${data.subject}: missing column "${areaColumn(area)}"`);
  const { voxels, values } = block;
  const row = new Map(order.map((id, i) => [id, i]));
  const out: DenseMatrix = { rows: order.length, cols: voxels, data: new Float64Array(order.length * voxels) };
  const counts = new Float64Array(order.length);
  data.imageIds.forEach((id, t) => {
    if (data.split[t] !== split) return;
    const i = row.get(id)!;
    counts[i]++;
    for (let v = 0; v < voxels; v++) {
      const x = values[t * voxels + v]!;
      if (!Number.isFinite(x)) {
        throw new DataValidationError(
          `trials-${data.subject}: area "${area}" column ${v} (voxel ${v}) has ${x} at row ${t} (image "${id}")`,
        );
      }
      out.data[i * voxels + v] += x;
    }
  });
  for (let i = 0; i < order.length; i++) {
    for (let v = 0; v < voxels; v++) out.data[i * voxels + v] /= counts[i]!;
  }
  return out;
}

/** Throws naming the table (e.g. `trials-sub-01`), area and voxel when a voxel does not vary over the rows. */
export function assertNoConstantVoxel(m: DenseMatrix, source: string, area: string): void {
  for (let v = 0; v < m.cols; v++) {
    const first = m.data[v]!;
    let constant = true;
    for (let i = 1; i < m.rows && constant; i++) constant = m.data[i * m.cols + v] === first;
    if (constant) {
      throw new DataValidationError(`${source}: area "${area}" voxel ${v} is constant over the training images`);
    }
  }
}
