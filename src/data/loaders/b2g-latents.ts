/**
 * The B2G w-latents pickle: a dict {'train': (4000, 512) float32, 'test': (200, 512) float32}, written with
 * pickle.HIGHEST_PROTOCOL in brain2gan `synthesis_images.ipynb` (docs/datasets.md §A.2). Read with the no-execution reader.
 */
import { readFileSync } from 'node:fs';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { numpyToFloat32Matrix, type Float32Matrix } from './numpy-array.js';
import { readSafePickle, type NumpyArray } from './safe-pickle.js';

export interface B2gLatents {
  train: Float32Matrix;
  test: Float32Matrix;
}

export function readB2gLatents(path: string): B2gLatents {
  const root = readSafePickle(readFileSync(path), path);
  if (!(root instanceof Map)) throw new DataValidationError(`${path}: expected a pickled dict of arrays`);
  const split = (key: 'train' | 'test'): Float32Matrix => {
    const value = root.get(key);
    if (!value || typeof value !== 'object' || !('kind' in value) || value.kind !== 'ndarray') {
      const keys = [...root.keys()].map((k) => JSON.stringify(k)).join(', ');
      throw new DataValidationError(`${path}: key "${key}" is missing or not a numpy array (keys: ${keys})`);
    }
    return numpyToFloat32Matrix(value as NumpyArray, `${path}: key "${key}"`);
  };
  return { train: split('train'), test: split('test') };
}
