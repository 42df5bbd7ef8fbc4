/**
 * B2G multi-unit activity from the MATLAB v7.3 file (`StyleGAN_XL_MUA.mat`, docs/datasets.md §A.2–A.3).
 * MATLAB stores `train_MUA` as channels × stimuli in column-major order, so HDF5 reports it as stimuli × channels
 * (h5py shows (4000, 1024)); that row-major view is what the authors index as [stimulus, channel]. Then the 6th
 * V1 array (columns 320–383) is deleted as in every brain2gan notebook and PAM `datasets.py`
 * (`np.delete(x, range(320, 384), axis=1)`, "delete broken microelectrode array").
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { AreaInfo } from '../../tables/dataset.js';
import { Hdf5Reader } from './hdf5-file.js';

export const B2G_RECORDED_CHANNELS = 1024;
/** Half-open channel range of the broken array, in recorded-channel numbering. */
export const B2G_BROKEN_CHANNELS: readonly [number, number] = [320, 384];
/** Areas after deletion (PAM `datasets.py` sizes [448, 256, 256]; brain2gan `neural_encoding.ipynb` [0,448,704,960]). */
export const B2G_AREAS: readonly AreaInfo[] = [
  { name: 'V1', units: 448, sourceColumns: [0, 448] },
  { name: 'V4', units: 256, sourceColumns: [448, 704] },
  { name: 'IT', units: 256, sourceColumns: [704, 960] },
];

/** One split's responses per area: row-major stimuli × units, float32 like every dataset table. */
export interface B2gResponses {
  stimuli: number;
  areas: Map<string, Float32Array>;
}

export async function readB2gMua(path: string): Promise<{ train: B2gResponses; test: B2gResponses }> {
  const reader = await Hdf5Reader.open(path);
  try {
    return { train: readSplit(reader, 'train_MUA'), test: readSplit(reader, 'test_MUA') };
  } finally {
    reader.close();
  }
}

function readSplit(reader: Hdf5Reader, datasetPath: string): B2gResponses {
  // MATLAB tags each variable with its class; a cell or struct would not be a response matrix.
  const matlabClass = reader.stringAttribute(datasetPath, 'MATLAB_class');
  if (matlabClass !== null && matlabClass !== 'double' && matlabClass !== 'single') {
    throw new DataValidationError(`${reader.path}: dataset "${datasetPath}" has MATLAB_class "${matlabClass}", expected double or single`);
  }
  const { values, shape } = reader.numeric(datasetPath);
  if (shape.length !== 2 || shape[1] !== B2G_RECORDED_CHANNELS) {
    throw new DataValidationError(
      `${reader.path}: dataset "${datasetPath}" has HDF5 shape (${shape.join(', ')}); expected (stimuli, ${B2G_RECORDED_CHANNELS}) — ` +
        'a MATLAB channels × stimuli array seen through HDF5',
    );
  }
  const stimuli = shape[0]!;
  const [brokenStart, brokenEnd] = B2G_BROKEN_CHANNELS;
  const areas = new Map<string, Float32Array>();
  for (const area of B2G_AREAS) {
    const [from, to] = area.sourceColumns!;
    const out = new Float32Array(stimuli * area.units);
    for (let s = 0; s < stimuli; s++) {
      for (let c = from; c < to; c++) {
        // Column c after deletion is recorded channel c, or c + 64 once past the broken array.
        const recorded = c < brokenStart ? c : c + (brokenEnd - brokenStart);
        out[s * area.units + (c - from)] = values[s * B2G_RECORDED_CHANNELS + recorded]!;
      }
    }
    areas.set(area.name, out);
  }
  return { stimuli, areas };
}
