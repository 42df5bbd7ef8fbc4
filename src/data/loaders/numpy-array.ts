/** Turn a numpy array read by the safe pickle reader into a row-major float32 matrix. */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { NumpyArray } from './safe-pickle.js';

export interface Float32Matrix {
  values: Float32Array;
  rows: number;
  width: number;
}

/**
 * Accepts 2-D little-endian `f4`/`f8` arrays in C or Fortran order (numpy `tobytes(order)` layouts) and returns a
 * C-order float32 copy. `what` names the array in errors (e.g. `file.pickle: key "train"`).
 */
export function numpyToFloat32Matrix(array: NumpyArray, what: string): Float32Matrix {
  if (array.shape.length !== 2) throw new DataValidationError(`${what}: expected a 2-D array, got shape (${array.shape.join(', ')})`);
  const [rows, width] = array.shape as [number, number];
  const itemSize = array.dtype === '<f4' ? 4 : array.dtype === '<f8' ? 8 : 0;
  if (itemSize === 0) throw new DataValidationError(`${what}: dtype ${array.dtype} is not little-endian float32/float64`);
  if (array.bytes.byteLength !== rows * width * itemSize) {
    throw new DataValidationError(`${what}: ${array.bytes.byteLength} data bytes do not match shape (${rows}, ${width}) of ${array.dtype}`);
  }
  // Copy into an aligned buffer: pickle payloads start at arbitrary byte offsets.
  const aligned = new Uint8Array(array.bytes).buffer;
  const source = itemSize === 4 ? new Float32Array(aligned) : new Float64Array(aligned);
  const values = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      values[r * width + c] = source[array.fortranOrder ? c * rows + r : r * width + c]!;
    }
  }
  return { values, rows, width };
}
