/**
 * Read-only access to HDF5 datasets through h5wasm (ESM; `import h5wasm from 'h5wasm/node'`, then `await ready`,
 * per docs/compute.md §7). The Node build reads the real file system directly. Every failure names
 * the file and the dataset path, because h5wasm itself returns `null` for a missing path and throws opaque errors.
 */
import h5wasm from 'h5wasm/node';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { checkHdf5File } from './hdf5-superblock.js';

/** A numeric dataset: values row-major (C order, as HDF5 stores them) with HDF5's own dimension order. */
export interface NumericArray {
  values: Float64Array | Float32Array;
  shape: number[];
}

export class Hdf5Reader {
  private constructor(
    readonly path: string,
    private readonly file: InstanceType<typeof h5wasm.File>,
  ) {}

  /** Open `path` read-only after checking it is a complete HDF5 file. */
  static async open(path: string): Promise<Hdf5Reader> {
    checkHdf5File(path);
    await h5wasm.ready;
    try {
      return new Hdf5Reader(path, new h5wasm.File(path, 'r'));
    } catch (cause) {
      throw new DataValidationError(`${path}: HDF5 library could not open the file (${String(cause)})`, { cause });
    }
  }

  close(): void {
    this.file.close();
  }

  /** Names directly under the root group. */
  rootKeys(): string[] {
    return this.file.keys();
  }

  has(datasetPath: string): boolean {
    return this.file.get(datasetPath) instanceof h5wasm.Dataset;
  }

  private dataset(datasetPath: string): InstanceType<typeof h5wasm.Dataset> {
    const entity = this.file.get(datasetPath);
    if (!(entity instanceof h5wasm.Dataset)) {
      const what = entity === null ? 'missing' : `a ${entity.constructor.name}, not a dataset`;
      throw new DataValidationError(`${this.path}: dataset "${datasetPath}" is ${what} (root has: ${this.rootKeys().join(', ')})`);
    }
    return entity;
  }

  /** A float dataset (any rank); integer or string datasets are refused. */
  numeric(datasetPath: string): NumericArray {
    const dataset = this.dataset(datasetPath);
    let value: unknown;
    try {
      value = dataset.value;
    } catch (cause) {
      throw new DataValidationError(`${this.path}: dataset "${datasetPath}" could not be read (${String(cause)})`, { cause });
    }
    if (!(value instanceof Float64Array || value instanceof Float32Array)) {
      throw new DataValidationError(
        `${this.path}: dataset "${datasetPath}" has dtype ${JSON.stringify(dataset.dtype)}, expected float32 or float64`,
      );
    }
    return { values: value, shape: dataset.shape ?? [] };
  }

  /** A 1-D dataset of strings (fixed-length byte strings or variable-length UTF-8, as bdpy writes either). */
  strings(datasetPath: string): string[] {
    const value = this.dataset(datasetPath).value;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new DataValidationError(`${this.path}: dataset "${datasetPath}" is not a 1-D array of strings`);
    }
    return value as string[];
  }

  /** A string attribute of a dataset (e.g. MATLAB_class), or null when absent. */
  stringAttribute(datasetPath: string, name: string): string | null {
    const attribute = this.dataset(datasetPath).attrs[name];
    if (!attribute) return null;
    const value = attribute.value;
    return typeof value === 'string' ? value : null;
  }
}
