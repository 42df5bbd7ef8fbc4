/**
 * One area's hyperalignment as the stage applies it (paper §2.2.1; docs/datasets.md §B.5): fit on the training images of
 * every subject, project each subject's training and test responses with its level-3 mapper (test centred with
 * the TRAINING source mean, as PyMVPA's forward does), average the aligned subjects, and z-score train and test
 * with the training mean and SD (ddof 1 by default, like PAM's `get_god`).
 */
import type { DenseMatrix } from '../linalg/dense.js';
import { hyperalign, type HyperalignmentResult } from './hyperalignment.js';
import { forward } from './procrustes.js';
import { applyColumnScaler, fitColumnScaler } from './zscore.js';

export interface AlignedArea {
  /** What the stage keeps of the fit: the reference subject, the level-3 mappers (mapper tables), the residuals. */
  hyperalignment: Pick<HyperalignmentResult, 'reference' | 'mappers' | 'residuals'>;
  /** Subject average, z-scored with training statistics. */
  train: DenseMatrix;
  test: DenseMatrix;
}

/** One area's job for a worker thread (align-area-worker.ts). */
export interface AlignAreaTask {
  area: string;
  train: DenseMatrix[];
  test: DenseMatrix[];
  labels: string[];
  zscoreDdof: number;
}

/** One finished Procrustes fit of an area's hyperalignment (`done` of `total`), sent by align-area-worker.ts. */
export interface AlignStep {
  done: number;
  total: number;
}

/**
 * The task's buffers, moved into the worker thread instead of copied (thread-pool.ts `transfer`): the compute
 * thread has averaged every area before the pool starts, so copies would hold all areas twice at the peak.
 */
export function alignAreaTransfer(task: AlignAreaTask): ArrayBuffer[] {
  return [...task.train, ...task.test].map((m) => m.data.buffer as ArrayBuffer);
}

/**
 * The result's buffers, moved back to the parent instead of copied (align-area-worker.ts `transferResult`): an
 * area's mappers alone are p² doubles per subject (58 MB for a 2,700-voxel area at GOD scale).
 */
export function alignedAreaTransfer(aligned: AlignedArea): ArrayBuffer[] {
  const { mappers, residuals } = aligned.hyperalignment;
  const arrays = [
    aligned.train.data,
    aligned.test.data,
    ...residuals,
    ...mappers.flatMap((m) => [m.sourceMean, m.targetMean, m.sourceBasis.data, m.inverseRoot.data, m.cross.data]),
  ];
  // A buffer may back more than one view; the transfer list must name it once.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Work estimate for dispatch order: the Procrustes work grows with samples² × voxels. */
export function alignAreaCost(task: AlignAreaTask): number {
  return task.train.reduce((sum, m) => sum + m.rows * m.rows * m.cols, 0);
}

function average(matrices: DenseMatrix[]): DenseMatrix {
  const out = { rows: matrices[0]!.rows, cols: matrices[0]!.cols, data: new Float64Array(matrices[0]!.data.length) };
  for (const m of matrices) for (let k = 0; k < out.data.length; k++) out.data[k] += m.data[k]!;
  for (let k = 0; k < out.data.length; k++) out.data[k] /= matrices.length;
  return out;
}

export function alignArea(
  train: readonly DenseMatrix[],
  test: readonly DenseMatrix[],
  labels: readonly string[],
  zscoreDdof: number,
  onStep?: (done: number, total: number) => void,
): AlignedArea {
  const { reference, mappers, residuals, trainingProjections } = hyperalign(train, labels, onStep);
  const trainAverage = average(trainingProjections);
  const scaler = fitColumnScaler(trainAverage, zscoreDdof);
  return {
    hyperalignment: { reference, mappers, residuals },
    train: applyColumnScaler(trainAverage, scaler),
    test: applyColumnScaler(average(mappers.map((mapper, i) => forward(mapper, test[i]!))), scaler),
  };
}
