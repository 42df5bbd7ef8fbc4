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
  hyperalignment: HyperalignmentResult;
  /** Per-subject aligned responses before averaging (for the science checks). */
  subjectTrain: DenseMatrix[];
  subjectTest: DenseMatrix[];
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
  const result = hyperalign(train, labels, onStep);
  const subjectTrain = result.trainingProjections;
  const subjectTest = result.mappers.map((mapper, i) => forward(mapper, test[i]!));
  const trainAverage = average(subjectTrain);
  const scaler = fitColumnScaler(trainAverage, zscoreDdof);
  return {
    hyperalignment: result,
    subjectTrain,
    subjectTest,
    train: applyColumnScaler(trainAverage, scaler),
    test: applyColumnScaler(average(subjectTest), scaler),
  };
}
