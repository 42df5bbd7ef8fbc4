/**
 * The vocabulary of table declarations (define-table.ts): each column or metadata declaration fixes the Arrow type
 * that is written and checked on read, and the TypeScript type a writer passes and a reader gets back. Like
 * apache/arrow-js `src/type.ts`, one declaration per logical type; the mapping to values is the type-level part.
 */
import type { z } from 'zod';
import type { MatrixView } from './arrow-tables.js';

/** `Utf8`; with `values`, every row must be one of them (an enumeration such as a split name). */
export interface Utf8Column<E extends string = string> {
  readonly kind: 'utf8';
  readonly values: readonly E[] | null;
  readonly optional: boolean;
}
/** `Int32`. */
export interface Int32Column {
  readonly kind: 'int32';
  readonly optional: boolean;
}
/** `Float32`. */
export interface Float32Column {
  readonly kind: 'float32';
  readonly optional: boolean;
}
/** `Float64`. */
export interface Float64Column {
  readonly kind: 'float64';
  readonly optional: boolean;
}
/** `FixedSizeList<Float32>[width]`: one row of a row-major matrix per table row. */
export interface Float32VectorColumn {
  readonly kind: 'float32-vector';
  readonly optional: boolean;
}
/** A dynamic family of `FixedSizeList<Float32>` columns named `<prefix><member>` (e.g. one `area:<A>` per area). */
export interface VectorFamilyColumn {
  readonly kind: 'vector-family';
  readonly prefix: string;
  readonly optional: boolean;
}
export type ColumnDecl = Utf8Column | Int32Column | Float32Column | Float64Column | Float32VectorColumn | VectorFamilyColumn;

/** A metadata value stored as the string itself. */
export interface TextMetadata {
  readonly kind: 'text';
  readonly optional: boolean;
}
/** A metadata value stored as JSON and checked against a zod schema on read. */
export interface JsonMetadata<T> {
  readonly kind: 'json';
  readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  readonly optional: boolean;
}
export type MetadataDecl = TextMetadata | JsonMetadata<unknown>;

export const utf8 = (): Utf8Column => ({ kind: 'utf8', values: null, optional: false });
export const utf8Of = <E extends string>(values: readonly E[]): Utf8Column<E> => ({ kind: 'utf8', values, optional: false });
export const int32 = (): Int32Column => ({ kind: 'int32', optional: false });
export const float32 = (): Float32Column => ({ kind: 'float32', optional: false });
export const float64 = (): Float64Column => ({ kind: 'float64', optional: false });
export const float32Vector = (): Float32VectorColumn => ({ kind: 'float32-vector', optional: false });
export const vectorFamily = (prefix: string): VectorFamilyColumn => ({ kind: 'vector-family', prefix, optional: false });
export const text = (): TextMetadata => ({ kind: 'text', optional: false });
export const json = <S extends z.ZodTypeAny>(schema: S): JsonMetadata<z.output<S>> => ({ kind: 'json', schema, optional: false });

/** A column a table may lack (read as null), or a metadata key it may lack (read as undefined). */
export function optional<D extends ColumnDecl | MetadataDecl>(decl: D): Omit<D, 'optional'> & { readonly optional: true } {
  return { ...decl, optional: true };
}

/** What a writer passes for a vector column: row-major values and the row width. */
export type VectorRows = Pick<MatrixView<Float32Array>, 'values' | 'width'>;

type WriteValue<D> =
  D extends Utf8Column<infer E>
    ? readonly E[]
    : D extends Int32Column
      ? Int32Array | readonly number[]
      : D extends Float32Column
        ? Float32Array | readonly number[]
        : D extends Float64Column
          ? Float64Array | readonly number[]
          : D extends Float32VectorColumn
            ? VectorRows
            : D extends VectorFamilyColumn
              ? ReadonlyMap<string, VectorRows>
              : never;

type ReadValue<D> =
  D extends Utf8Column<infer E>
    ? E[]
    : D extends Int32Column
      ? Int32Array
      : D extends Float32Column
        ? Float32Array
        : D extends Float64Column
          ? Float64Array
          : D extends Float32VectorColumn
            ? MatrixView<Float32Array>
            : D extends VectorFamilyColumn
              ? ReadonlyMap<string, MatrixView<Float32Array>>
              : never;

type MetadataValue<D> = D extends TextMetadata ? string : D extends JsonMetadata<infer T> ? T : never;

type RequiredKeys<T> = { [K in keyof T]: T[K] extends { optional: true } ? never : K }[keyof T];
export type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

/** The column record a writer passes: optional columns may be left out or null. */
export type WriteColumns<C> = { [K in RequiredKeys<C>]: WriteValue<C[K]> } & { [K in OptionalKeys<C>]?: WriteValue<C[K]> | null };
/** The validated columns a reader gets: an optional column the table lacks is null. */
export type ReadColumns<C> = { readonly [K in keyof C]: C[K] extends { optional: true } ? ReadValue<C[K]> | null : ReadValue<C[K]> };
export type WriteMetadata<M> = { [K in RequiredKeys<M>]: MetadataValue<M[K]> } & { [K in OptionalKeys<M>]?: MetadataValue<M[K]> };
export type ReadMetadata<M> = {
  readonly [K in keyof M]: M[K] extends { optional: true } ? MetadataValue<M[K]> | undefined : MetadataValue<M[K]>;
};

/** One member of a vector family as the metadata describes it. */
export interface FamilyMember {
  name: string;
  width: number;
}

/**
 * Widths a table's metadata implies (the tfjs-layers habit of declaring config and shapes together): `from` names
 * the metadata keys read, so a reader that selects fewer keys (TableSchema.select) skips the check.
 */
export type Shapes<C, M> = {
  [K in keyof C]?: C[K] extends VectorFamilyColumn
    ? { from: readonly (keyof M & string)[]; members: (metadata: ReadMetadata<M>) => readonly FamilyMember[] }
    : C[K] extends Float32VectorColumn
      ? { from: readonly (keyof M & string)[]; width: (metadata: ReadMetadata<M>) => number }
      : never;
};
