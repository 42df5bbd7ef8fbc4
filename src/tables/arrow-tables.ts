/**
 * Typed construction and reading of the Arrow tables every stage exchanges.
 * Matrices travel as `FixedSizeList<Float32|Float64>` columns (rows × width, row-major), so a reader gets a
 * zero-copy typed array (arrow-js `makeData` / `Data.children[0].values`; see apache/arrow-js `src/data.ts`).
 */
import {
  Field,
  FixedSizeList,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  DataType,
  Precision,
  type Vector,
} from 'apache-arrow';
import { DataValidationError } from '../errors/pipeline-errors.js';

/** One column to build: its Arrow type follows from `kind`. */
export type ColumnSpec =
  | { kind: 'utf8'; values: readonly string[] }
  | { kind: 'int32'; values: Int32Array | readonly number[] }
  | { kind: 'float64'; values: Float64Array | readonly number[] }
  | { kind: 'float32'; values: Float32Array | readonly number[] }
  /** A row-major matrix of `values.length / width` rows; one fixed-size list per row. */
  | { kind: 'float32-vector'; width: number; values: Float32Array }
  | { kind: 'float64-vector'; width: number; values: Float64Array };

/** Matrix read back from a vector column. */
export interface MatrixView<T extends Float32Array | Float64Array> {
  values: T;
  rows: number;
  width: number;
}

function rowsOf(spec: ColumnSpec): number {
  switch (spec.kind) {
    case 'float32-vector':
    case 'float64-vector':
      return spec.width === 0 ? 0 : spec.values.length / spec.width;
    default:
      return spec.values.length;
  }
}

function vectorOf(name: string, spec: ColumnSpec): Vector {
  switch (spec.kind) {
    case 'utf8':
      return vectorFromArray([...spec.values], new Utf8());
    case 'int32':
      return makeVector(Int32Array.from(spec.values));
    case 'float64':
      return makeVector(Float64Array.from(spec.values));
    case 'float32':
      return makeVector(Float32Array.from(spec.values));
    case 'float32-vector':
    case 'float64-vector': {
      if (!Number.isInteger(spec.width) || spec.width <= 0 || spec.values.length % spec.width !== 0) {
        throw new RangeError(`column "${name}": ${spec.values.length} values do not fill rows of width ${spec.width}`);
      }
      const childData = makeVector(spec.values).data[0]!;
      const type = new FixedSizeList(spec.width, new Field('item', childData.type, false));
      return makeVector(makeData({ type, length: spec.values.length / spec.width, nullCount: 0, child: childData }));
    }
  }
}

/** Build a table from named columns (all the same length) plus string metadata on its schema. */
export function buildTable(columns: Record<string, ColumnSpec>, metadata: Record<string, string> = {}): Table {
  const names = Object.keys(columns);
  if (names.length === 0) throw new RangeError('a table needs at least one column');
  const length = rowsOf(columns[names[0]!]!);
  const vectors: Record<string, Vector> = {};
  for (const name of names) {
    const spec = columns[name]!;
    if (rowsOf(spec) !== length) {
      throw new RangeError(`column "${name}" has ${rowsOf(spec)} rows, expected ${length} like "${names[0]}"`);
    }
    vectors[name] = vectorOf(name, spec);
  }
  const fields = names.map((n) => new Field(n, vectors[n]!.type as DataType, false));
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const struct = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: names.map((n) => vectors[n]!.data[0]!),
  });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Serialize as an Arrow IPC *file* (with footer), the format whose completeness can be checked. */
export function tableToFileBytes(table: Table): Uint8Array {
  return tableToIPC(table, 'file');
}

const ARROW_MAGIC = 'ARROW1';

/**
 * Parse Arrow IPC file bytes, refusing anything that is not a complete file: both magic strings must be present
 * (arrow-js `checkForMagicArrowString` in `src/ipc/message.ts`), so a truncated file is an error, not a short table.
 */
export function tableFromFileBytes(bytes: Uint8Array, source: string): Table {
  const head = Buffer.from(bytes.subarray(0, 6)).toString('latin1');
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 6))).toString('latin1');
  if (bytes.length < 12 || head !== ARROW_MAGIC || tail !== ARROW_MAGIC) {
    throw new DataValidationError(
      `${source}: not a complete Arrow IPC file (${bytes.length} bytes; expected the "${ARROW_MAGIC}" magic at both ends)`,
    );
  }
  try {
    return tableFromIPC(bytes);
  } catch (cause) {
    throw new DataValidationError(`${source}: unreadable Arrow IPC file: ${(cause as Error).message}`, { cause });
  }
}

function columnOf(table: Table, name: string, source: string) {
  const column = table.getChild(name);
  if (!column) {
    const have = table.schema.fields.map((f) => f.name).join(', ');
    throw new DataValidationError(`${source}: missing column "${name}" (has: ${have})`);
  }
  return column;
}

/** Read a FixedSizeList<Float32> column as one contiguous row-major matrix (copying only if chunked). */
export function readFloat32Matrix(table: Table, name: string, source = 'table'): MatrixView<Float32Array> {
  const column = columnOf(table, name, source);
  const type = column.type as DataType;
  // typeId checks, not instanceof: the CJS and ESM builds of apache-arrow may both be loaded in one process.
  const child = DataType.isFixedSizeList(type) ? (type.children[0]!.type as DataType) : undefined;
  if (!child || !DataType.isFloat(child) || child.precision !== Precision.SINGLE) {
    throw new DataValidationError(`${source}: column "${name}" is ${String(type)}, expected FixedSizeList<Float32>`);
  }
  const width = (type as FixedSizeList).listSize;
  const rows = column.length;
  const out = new Float32Array(rows * width);
  let offset = 0;
  for (const data of column.data) {
    const childData = data.children[0]!;
    const start = data.offset * width + childData.offset;
    out.set((childData.values as Float32Array).subarray(start, start + data.length * width), offset);
    offset += data.length * width;
  }
  return { values: out, rows, width };
}

/** Read a Utf8 column. */
export function readStrings(table: Table, name: string, source = 'table'): string[] {
  return [...columnOf(table, name, source)].map((v) => String(v));
}

/** Read a numeric (int or float) column as float64. */
export function readNumbers(table: Table, name: string, source = 'table'): Float64Array {
  const column = columnOf(table, name, source);
  return Float64Array.from(column.toArray() as ArrayLike<number>);
}

/** Parse the JSON value stored under `key` in the schema metadata. */
export function readJsonMetadata<T>(table: Table, key: string, source = 'table'): T {
  const raw = table.schema.metadata.get(key);
  if (raw === undefined) throw new DataValidationError(`${source}: schema metadata has no "${key}"`);
  try {
    return JSON.parse(raw) as T;
  } catch (cause) {
    throw new DataValidationError(`${source}: schema metadata "${key}" is not valid JSON (${(cause as Error).message})`, { cause });
  }
}
