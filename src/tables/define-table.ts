/**
 * Tables declared once. `defineTable` takes a table's name, columns (column-types.ts), schema metadata and the
 * widths its metadata implies, and returns the typed writer and the validating reader of that layout, in the style
 * of apache/arrow-js `src/ipc/serialization.ts` (thin typed wrappers, completeness checks). Reading checks the
 * whole layout at the boundary — every declared column present with its Arrow type and width, no nulls,
 * enumerations, metadata present and well-formed — and throws a DataValidationError naming the file, the table and
 * the column or key; past the boundary the types are trusted. Columns decode on first access, so a reader pays only
 * for the columns it uses. Writing runs the same checks (a RangeError: a writer's bug, not bad input).
 */
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { buildTable, readFloat32Matrix, readNumbers, readStrings, type ColumnSpec } from './arrow-tables.js';
import { checkTable, type Decls, type Layout, type MetaDecls, type ShapeDecl } from './check-table.js';
import { concatColumns } from './concat-columns.js';
import type { OptionalKeys, ReadColumns, ReadMetadata, Shapes, VectorRows, WriteColumns, WriteMetadata } from './column-types.js';

/** Where tables are read from (an ArtifactInput is one). */
export interface TableSource {
  readonly dir: string;
  readonly tables: readonly string[];
  readTable(name: string): Table;
}

/** Where tables are written (an ArtifactWriter is one). */
export interface TableSink {
  writeTable(name: string, table: Table): void;
}

type MetadataArgs<M> = keyof M extends never ? [] : [metadata: WriteMetadata<M>];

/** A table that passed its schema's checks. */
export interface SchemaTable<C, M> {
  readonly name: string;
  readonly file: string;
  readonly rows: number;
  readonly columns: ReadColumns<C>;
  readonly metadata: ReadMetadata<M>;
  /** The Arrow table itself, to pass on unchanged. */
  readonly arrow: Table;
  /** An optional column this reader cannot do without; throws naming the file, table and column. */
  require<K extends OptionalKeys<C> & string>(key: K, why: string): NonNullable<ReadColumns<C>[K]>;
}

/** One table layout under one name (file `<name>.arrow`). */
export interface TableSchema<C, M> {
  readonly name: string;
  build(columns: WriteColumns<C>, ...metadata: MetadataArgs<M>): Table;
  write(sink: TableSink, columns: WriteColumns<C>, ...metadata: MetadataArgs<M>): void;
  fromTable(table: Table, file: string): SchemaTable<C, M>;
  read(source: TableSource): SchemaTable<C, M>;
  readIfPresent(source: TableSource): SchemaTable<C, M> | null;
  /** The rows of `parts` one after another (shards, areas), as columns to write; vector widths must agree. */
  concat(parts: readonly Pick<SchemaTable<C, unknown>, 'columns' | 'file'>[]): WriteColumns<C>;
  /** A reader of these columns and metadata keys only; widths implied by keys left out are not checked. */
  select<K extends keyof C & string, MK extends keyof M & string = never>(
    columns: readonly K[],
    metadata?: readonly MK[],
  ): TableSchema<Pick<C, K>, Pick<M, MK>>;
}

/** One layout under many names, `<key>` filled in (`trials-<subject>`, `mappers-<area>`). */
export interface TableFamily<C, M> {
  readonly pattern: string;
  named(key: string): TableSchema<C, M>;
  /** The keys of the tables among `names` that belong to this family, in the given order. */
  keysIn(names: readonly string[]): string[];
  select<K extends keyof C & string, MK extends keyof M & string = never>(
    columns: readonly K[],
    metadata?: readonly MK[],
  ): TableFamily<Pick<C, K>, Pick<M, MK>>;
}

/** The validated table a schema reads. */
export type TableOf<S> = S extends TableSchema<infer C, infer M> ? SchemaTable<C, M> : never;

type IsFamily<N extends string> = N extends `${string}<${string}>${string}` ? true : false;

const PLACEHOLDER = /<[^<>]+>/;

export function defineTable<N extends string, C extends Decls, M extends MetaDecls = Record<never, never>>(decl: {
  name: N;
  columns: C;
  metadata?: M;
  shapes?: Shapes<C, M>;
}): IsFamily<N> extends true ? TableFamily<C, M> : TableSchema<C, M> {
  const layout: Layout = { columns: decl.columns, metadata: decl.metadata ?? {}, shapes: (decl.shapes ?? {}) as Record<string, ShapeDecl> };
  return (PLACEHOLDER.test(decl.name) ? new DefinedFamily(decl.name, layout) : new DefinedTable(decl.name, layout)) as never;
}

function pick<T>(record: Record<string, T>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keys.includes(key)));
}

/** The layout of `columns` and `metadata` only, with the shapes still checkable from that metadata. */
function selectLayout({ columns, metadata, shapes }: Layout, keepColumns: readonly string[], keepMetadata: readonly string[]): Layout {
  const checkable = keepColumns.filter((key) => shapes[key]?.from.every((m) => keepMetadata.includes(m)));
  return { columns: pick(columns, keepColumns), metadata: pick(metadata, keepMetadata), shapes: pick(shapes, checkable) };
}

class DefinedFamily {
  constructor(
    readonly pattern: string,
    private readonly layout: Layout,
  ) {}

  named(key: string): DefinedTable {
    if (key.length === 0) throw new RangeError(`${this.pattern}: empty table key`);
    return new DefinedTable(this.pattern.replace(PLACEHOLDER, key), this.layout);
  }

  keysIn(names: readonly string[]): string[] {
    const [prefix, suffix] = this.pattern.split(PLACEHOLDER) as [string, string];
    return names
      .filter((n) => n.length > prefix.length + suffix.length && n.startsWith(prefix) && n.endsWith(suffix))
      .map((n) => n.slice(prefix.length, n.length - suffix.length));
  }

  select(columns: readonly string[], metadata: readonly string[] = []): DefinedFamily {
    return new DefinedFamily(this.pattern, selectLayout(this.layout, columns, metadata));
  }
}

class DefinedTable {
  constructor(
    readonly name: string,
    private readonly layout: Layout,
  ) {}

  build(columns: Record<string, unknown>, metadata: Record<string, unknown> = {}): Table {
    const specs: Record<string, ColumnSpec> = {};
    for (const [key, decl] of Object.entries(this.layout.columns)) {
      const value = columns[key];
      if (value === undefined || value === null) continue;
      if (decl.kind === 'vector-family') {
        for (const [member, rows] of value as ReadonlyMap<string, VectorRows>) {
          specs[`${decl.prefix}${member}`] = { kind: 'float32-vector', width: rows.width, values: rows.values };
        }
      } else if (decl.kind === 'float32-vector') {
        const rows = value as VectorRows;
        specs[key] = { kind: 'float32-vector', width: rows.width, values: rows.values };
      } else {
        specs[key] = { kind: decl.kind, values: value } as ColumnSpec;
      }
    }
    const encoded: Record<string, string> = {};
    for (const [key, decl] of Object.entries(this.layout.metadata)) {
      const value = metadata[key];
      if (value !== undefined) encoded[key] = decl.kind === 'text' ? String(value) : JSON.stringify(value);
    }
    const table = buildTable(specs, encoded);
    checkTable(this.layout, table, (what, problem) => {
      throw new RangeError(`writing table "${this.name}", ${what}: ${problem}`);
    });
    return table;
  }

  write(sink: TableSink, columns: Record<string, unknown>, metadata?: Record<string, unknown>): void {
    sink.writeTable(this.name, this.build(columns, metadata));
  }

  read(source: TableSource) {
    return this.fromTable(source.readTable(this.name), `${source.dir}/${this.name}.arrow`);
  }

  readIfPresent(source: TableSource) {
    return source.tables.includes(this.name) ? this.read(source) : null;
  }

  concat(parts: readonly { columns: Record<string, unknown>; file: string }[]): Record<string, unknown> {
    return concatColumns(this.name, this.layout.columns, parts);
  }

  select(columns: readonly string[], metadata: readonly string[] = []): DefinedTable {
    return new DefinedTable(this.name, selectLayout(this.layout, columns, metadata));
  }

  fromTable(table: Table, file: string) {
    const at = `${file}: table "${this.name}"`;
    const checked = checkTable(this.layout, table, (what, problem) => {
      throw new DataValidationError(`${at}, ${what}: ${problem}`);
    });
    const decoded = new Map<string, unknown>();
    const columns: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries(this.layout.columns)) {
      const decode = (): unknown => {
        if (decl.kind === 'vector-family') {
          return new Map(checked.members.get(key)!.map((m) => [m, readFloat32Matrix(table, `${decl.prefix}${m}`, at)]));
        }
        if (!table.schema.fields.some((f) => f.name === key)) return null;
        switch (decl.kind) {
          case 'utf8':
            return checked.strings.get(key) ?? readStrings(table, key, at);
          case 'int32':
            return Int32Array.from(readNumbers(table, key, at));
          case 'float32':
            return Float32Array.from(readNumbers(table, key, at));
          case 'float64':
            return readNumbers(table, key, at);
          case 'float32-vector':
            return readFloat32Matrix(table, key, at);
        }
      };
      Object.defineProperty(columns, key, {
        enumerable: true,
        get: () => (decoded.has(key) ? decoded.get(key) : decoded.set(key, decode()).get(key)),
      });
    }
    return {
      name: this.name,
      file,
      rows: table.numRows,
      columns,
      metadata: checked.metadata,
      arrow: table,
      require(key: string, why: string) {
        const value = columns[key];
        if (value === null) throw new DataValidationError(`${at} has no "${key}" column; ${why}`);
        return value;
      },
    };
  }
}
