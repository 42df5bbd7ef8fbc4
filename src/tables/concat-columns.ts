/**
 * Rows of several validated tables of one layout (shards, areas), one after another, as columns to write again
 * (define-table.ts `TableSchema.concat`); vector widths must agree, or the odd table is named.
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import { concatTyped as concatArrays } from '../util/typed-arrays.js';
import type { MatrixView } from './arrow-tables.js';
import type { Decls } from './check-table.js';
import type { VectorRows } from './column-types.js';

type Part = { columns: Record<string, unknown>; file: string };

export function concatColumns(name: string, decls: Decls, parts: readonly Part[]): Record<string, unknown> {
  if (parts.length === 0) throw new RangeError(`table "${name}": nothing to concatenate`);
  const vectors = (column: string, rows: readonly (MatrixView<Float32Array> | null | undefined)[]): VectorRows => {
    const width = rows[0]!.width;
    const bad = rows.findIndex((m) => m?.width !== width);
    if (bad >= 0) {
      const got = rows[bad] ? `has width ${rows[bad].width}` : 'is missing';
      throw new DataValidationError(
        `${parts[bad]!.file}: table "${name}", column "${column}": ${got}, ${parts[0]!.file} has width ${width}`,
      );
    }
    return {
      width,
      values: concatArrays(
        Float32Array,
        rows.map((m) => m!.values),
      ),
    };
  };
  const out: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(decls)) {
    const values = parts.map((part) => part.columns[key]);
    if (values.every((v) => v === null)) continue;
    switch (decl.kind) {
      case 'utf8':
        out[key] = (values as string[][]).flat();
        break;
      case 'int32':
        out[key] = concatArrays(Int32Array, values as Int32Array[]);
        break;
      case 'float32':
        out[key] = concatArrays(Float32Array, values as Float32Array[]);
        break;
      case 'float64':
        out[key] = concatArrays(Float64Array, values as Float64Array[]);
        break;
      case 'float32-vector':
        out[key] = vectors(key, values as (MatrixView<Float32Array> | null)[]);
        break;
      case 'vector-family': {
        const families = values as ReadonlyMap<string, MatrixView<Float32Array>>[];
        const members = [...families[0]!.keys()];
        out[key] = new Map(
          members.map((m) => [
            m,
            vectors(
              `${decl.prefix}${m}`,
              families.map((f) => f.get(m)),
            ),
          ]),
        );
      }
    }
  }
  return out;
}
