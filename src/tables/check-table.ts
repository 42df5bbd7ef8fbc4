/**
 * The completeness checks of a declared table (define-table.ts), shared by reading (DataValidationError: bad input)
 * and writing (RangeError: a writer's bug): every declared column present with its Arrow type and width, no nulls,
 * enumerations respected, every metadata key present and well-formed. `fail` names what failed and why.
 */
import { DataType, type Field, Precision, type Table } from 'apache-arrow';
import { readStrings } from './arrow-tables.js';
import type { ColumnDecl, FamilyMember, MetadataDecl } from './column-types.js';

export type Decls = Record<string, ColumnDecl>;
export type MetaDecls = Record<string, MetadataDecl>;
/** Shapes (column-types.ts) with the metadata types erased. */
export interface ShapeDecl {
  from: readonly string[];
  width?: (metadata: Record<string, unknown>) => number;
  members?: (metadata: Record<string, unknown>) => readonly FamilyMember[];
}
export interface Layout {
  columns: Decls;
  metadata: MetaDecls;
  shapes: Record<string, ShapeDecl>;
}
export type Fail = (what: string, problem: string) => never;

/** What the checks found out, reused by the decoders. */
export interface Checked {
  metadata: Record<string, unknown>;
  /** Per family column: its members, in metadata order when the metadata names them. */
  members: Map<string, string[]>;
  /** Enumeration columns, decoded to check them. */
  strings: Map<string, string[]>;
}

const TYPE_NAMES: Record<ColumnDecl['kind'], string> = {
  utf8: 'Utf8',
  int32: 'Int32',
  float32: 'Float32',
  float64: 'Float64',
  'float32-vector': 'FixedSizeList<Float32>',
  'vector-family': 'FixedSizeList<Float32>',
};

// typeId checks, not instanceof: the CJS and ESM builds of apache-arrow may both be loaded in one process.
function hasType(kind: ColumnDecl['kind'], type: DataType): boolean {
  switch (kind) {
    case 'utf8':
      return DataType.isUtf8(type);
    case 'int32':
      return DataType.isInt(type) && type.bitWidth === 32 && type.isSigned;
    case 'float32':
      return DataType.isFloat(type) && type.precision === Precision.SINGLE;
    case 'float64':
      return DataType.isFloat(type) && type.precision === Precision.DOUBLE;
    case 'float32-vector':
    case 'vector-family': {
      const child = DataType.isFixedSizeList(type) ? (type.children[0]!.type as DataType) : undefined;
      return child !== undefined && DataType.isFloat(child) && child.precision === Precision.SINGLE;
    }
  }
}

export function checkTable(layout: Layout, table: Table, fail: Fail): Checked {
  const metadata = checkMetadata(layout.metadata, table.schema.metadata, fail);
  const fields = new Map(table.schema.fields.map((f) => [f.name, f]));
  const have = () => `has: ${[...fields.keys()].join(', ') || 'no columns'}`;
  const checked: Checked = { metadata, members: new Map(), strings: new Map() };
  for (const [key, decl] of Object.entries(layout.columns)) {
    const shape = layout.shapes[key];
    const implied = shape && ((width: number) => `metadata ${shape.from.map((m) => `"${m}"`).join(', ')} implies ${width}`);
    if (decl.kind === 'vector-family') {
      const found = [...fields.keys()].filter((n) => n.startsWith(decl.prefix)).map((n) => n.slice(decl.prefix.length));
      const expected = shape?.members?.(metadata);
      if (expected) {
        const missing = expected.find((m) => !found.includes(m.name));
        if (missing) fail(`column "${decl.prefix}${missing.name}"`, `missing; ${implied!(missing.width)} units (${have()})`);
        const extra = found.find((n) => !expected.some((m) => m.name === n));
        if (extra !== undefined) fail(`column "${decl.prefix}${extra}"`, `not listed in metadata ${shape!.from.join(', ')}`);
      }
      for (const member of expected ?? found.map((name) => ({ name, width: undefined }))) {
        checkField(fields.get(`${decl.prefix}${member.name}`)!, decl, member.width, fail, implied);
      }
      checked.members.set(key, expected?.map((m) => m.name) ?? found);
      continue;
    }
    const field = fields.get(key);
    if (!field) {
      if (decl.optional) continue;
      fail(`column "${key}"`, `missing (${have()})`);
    }
    checkField(field, decl, shape?.width?.(metadata), fail, implied);
    const nulls = table.getChild(key)!.nullCount;
    if (nulls > 0) fail(`column "${key}"`, `has ${nulls} null values`);
    if (decl.kind === 'utf8' && decl.values) {
      const values = readStrings(table, key);
      const row = values.findIndex((v) => !decl.values!.includes(v));
      if (row >= 0) fail(`column "${key}"`, `row ${row} is "${values[row]}", expected ${decl.values.join(' or ')}`);
      checked.strings.set(key, values);
    }
  }
  return checked;
}

function checkField(field: Field, decl: ColumnDecl, width: number | undefined, fail: Fail, implied?: (width: number) => string) {
  const what = `column "${field.name}"`;
  if (!hasType(decl.kind, field.type)) fail(what, `is ${String(field.type)}, expected ${TYPE_NAMES[decl.kind]}`);
  const listSize = DataType.isFixedSizeList(field.type) ? field.type.listSize : undefined;
  if (width !== undefined && listSize !== width) fail(what, `has width ${listSize}; ${implied!(width)}`);
}

function checkMetadata(decls: MetaDecls, raw: Map<string, string>, fail: Fail): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(decls)) {
    const what = `metadata "${key}"`;
    const value = raw.get(key);
    if (value === undefined) {
      if (!decl.optional) fail(what, `missing (has: ${[...raw.keys()].join(', ') || 'no metadata'})`);
      continue;
    }
    if (decl.kind === 'text') {
      metadata[key] = value;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (cause) {
      fail(what, `not valid JSON (${(cause as Error).message})`);
    }
    const result = decl.schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      fail(what, `${issue.path.length > 0 ? `at ${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    metadata[key] = result.data;
  }
  return metadata;
}
