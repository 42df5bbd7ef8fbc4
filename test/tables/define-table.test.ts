/** The schema API: a declared table round-trips through Arrow IPC, and every check names file, table and column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { buildTable, readJsonMetadata, tableFromFileBytes, tableToFileBytes, type ColumnSpec } from '../../src/tables/arrow-tables.js';
import { float32, float32Vector, float64, int32, json, optional, text, utf8, utf8Of, vectorFamily } from '../../src/tables/column-types.js';
import { defineTable, type TableSource } from '../../src/tables/define-table.js';

const SAMPLES = defineTable({
  name: 'samples-<run>',
  columns: {
    id: utf8(),
    split: utf8Of(['train', 'test'] as const),
    count: int32(),
    weight: float32(),
    score: float64(),
    latent: optional(float32Vector()),
    areas: vectorFamily('area:'),
  },
  metadata: { areas: json(z.array(z.object({ name: z.string(), units: z.number() }))), note: text(), extra: optional(text()) },
  shapes: { areas: { from: ['areas'], members: (m) => m.areas.map((a) => ({ name: a.name, width: a.units })) } },
});
const SAMPLE = SAMPLES.named('r1');

const v1 = { width: 2, values: Float32Array.from([1, 2, 3, 4]) };
const it = { width: 1, values: Float32Array.from([5, 6]) };
const metadata = {
  areas: [
    { name: 'V1', units: 2 },
    { name: 'IT', units: 1 },
  ],
  note: 'hello',
};
const columns = {
  id: ['a', 'b'],
  split: ['train', 'test'] as const,
  count: [1, 2],
  weight: [0.5, 0.25],
  score: Float64Array.from([0.1, 0.2]),
  areas: new Map([
    ['V1', v1],
    ['IT', it],
  ]),
};

/** An in-memory table source whose files travel as Arrow IPC bytes. */
function sourceOf(tables: Record<string, Table>): TableSource {
  return {
    dir: '/mem',
    tables: Object.keys(tables),
    readTable: (name) => tableFromFileBytes(tableToFileBytes(tables[name]!), `/mem/${name}.arrow`),
  };
}

test('round trip: typed columns and metadata come back as written, optional ones as null/undefined', () => {
  const written: Record<string, Table> = {};
  const sink = {
    writeTable: (name: string, table: Table) => {
      written[name] = table;
    },
  };
  SAMPLE.write(sink, columns, metadata);
  assert.deepEqual(Object.keys(written), ['samples-r1']);
  assert.deepEqual(
    written['samples-r1']!.schema.fields.map((f) => f.name),
    ['id', 'split', 'count', 'weight', 'score', 'area:V1', 'area:IT'],
  );
  const t = SAMPLE.read(sourceOf(written));
  assert.equal(t.rows, 2);
  assert.equal(t.file, '/mem/samples-r1.arrow');
  assert.deepEqual(t.columns.id, ['a', 'b']);
  assert.deepEqual(t.columns.split, ['train', 'test']);
  assert.deepEqual(t.columns.count, Int32Array.from([1, 2]));
  assert.deepEqual(t.columns.weight, Float32Array.from([0.5, 0.25]));
  assert.deepEqual(t.columns.score, Float64Array.from([0.1, 0.2]));
  assert.equal(t.columns.latent, null);
  assert.deepEqual([...t.columns.areas.keys()], ['V1', 'IT']);
  assert.deepEqual(t.columns.areas.get('V1'), { ...v1, rows: 2 });
  assert.deepEqual(t.metadata, { areas: metadata.areas, note: 'hello' });
  assert.equal(t.metadata.extra, undefined);
  // The metadata is the JSON/text a pyarrow reader sees.
  assert.deepEqual(readJsonMetadata(t.arrow, 'areas'), metadata.areas);
  assert.throws(
    () => t.require('latent', 'this reader needs latents'),
    /^DataValidationError: \/mem\/samples-r1\.arrow: table "samples-r1" has no "latent" column; this reader needs latents$/,
  );
  const withLatent = SAMPLE.fromTable(
    SAMPLE.build({ ...columns, latent: { width: 1, values: Float32Array.from([7, 8]) } }, metadata),
    'x.arrow',
  );
  assert.deepEqual(withLatent.require('latent', 'needed').values, Float32Array.from([7, 8]));
});

test('family keys: named(key) fills the placeholder, keysIn finds the members among table names', () => {
  assert.equal(SAMPLES.named('sub-01').name, 'samples-sub-01');
  assert.deepEqual(SAMPLES.keysIn(['samples-b', 'other', 'samples-', 'samples-a']), ['b', 'a']);
});

/** Rebuild the sample table with some columns replaced or removed and some metadata replaced. */
function edited(specs: Record<string, ColumnSpec | null>, meta: Record<string, string | null> = {}): Table {
  const base: Record<string, ColumnSpec> = {
    id: { kind: 'utf8', values: ['a', 'b'] },
    split: { kind: 'utf8', values: ['train', 'test'] },
    count: { kind: 'int32', values: [1, 2] },
    weight: { kind: 'float32', values: [0.5, 0.25] },
    score: { kind: 'float64', values: [0.1, 0.2] },
    'area:V1': { kind: 'float32-vector', ...v1 },
    'area:IT': { kind: 'float32-vector', ...it },
  };
  const baseMeta: Record<string, string> = { areas: JSON.stringify(metadata.areas), note: 'hello' };
  for (const [k, v] of Object.entries(specs)) {
    if (v) base[k] = v;
    else delete base[k];
  }
  for (const [k, v] of Object.entries(meta)) {
    if (v === null) delete baseMeta[k];
    else baseMeta[k] = v;
  }
  return buildTable(base, baseMeta);
}

const refused = (table: Table, message: RegExp) =>
  assert.throws(
    () => SAMPLE.fromTable(table, '/d/samples-r1.arrow'),
    (error: Error) => error.name === 'DataValidationError' && message.test(error.message),
  );

test('each validation error is a DataValidationError naming the file, the table and the column or key', () => {
  const at = String.raw`^/d/samples-r1\.arrow: table "samples-r1", `;
  refused(edited({ count: null }), new RegExp(`${at}column "count": missing \\(has: id, split, weight`));
  refused(edited({ count: { kind: 'float64', values: [1, 2] } }), new RegExp(`${at}column "count": is Float64, expected Int32$`));
  refused(edited({ weight: { kind: 'float64', values: [1, 2] } }), new RegExp(`${at}column "weight": is Float64, expected Float32$`));
  refused(edited({ id: { kind: 'float64', values: [1, 2] } }), new RegExp(`${at}column "id": is Float64, expected Utf8$`));
  refused(
    edited({ split: { kind: 'utf8', values: ['train', 'val'] } }),
    new RegExp(`${at}column "split": row 1 is "val", expected train or test$`),
  );
  refused(
    edited({ 'area:V1': { kind: 'float32-vector', width: 1, values: Float32Array.from([1, 2]) } }),
    new RegExp(`${at}column "area:V1": has width 1; metadata "areas" implies 2$`),
  );
  refused(
    edited({ 'area:V1': { kind: 'float32', values: [1, 2] } }),
    new RegExp(`${at}column "area:V1": is Float32, expected FixedSizeList<Float32>$`),
  );
  refused(edited({ 'area:IT': null }), new RegExp(`${at}column "area:IT": missing; metadata "areas" implies 1 units`));
  refused(
    edited({ 'area:V4': { kind: 'float32-vector', width: 1, values: Float32Array.from([1, 2]) } }),
    new RegExp(`${at}column "area:V4": not listed in metadata areas$`),
  );
  refused(edited({}, { note: null }), new RegExp(`${at}metadata "note": missing \\(has: areas\\)$`));
  refused(edited({}, { areas: '[{"name":"V1"' }), new RegExp(`${at}metadata "areas": not valid JSON`));
  refused(edited({}, { areas: '[{"name":"V1"}]' }), new RegExp(`${at}metadata "areas": at 0\\.units: Required$`));
});

test('select: a reader of fewer columns and keys checks only those, and skips widths implied by keys left out', () => {
  const idsOnly = SAMPLE.select(['id', 'areas']);
  const t = idsOnly.fromTable(
    edited({ count: null, 'area:V1': { kind: 'float32-vector', width: 3, values: new Float32Array(6) } }, { areas: null, note: null }),
    'f',
  );
  assert.deepEqual(t.columns.id, ['a', 'b']);
  assert.deepEqual([...t.columns.areas.keys()], ['V1', 'IT']);
  assert.deepEqual(t.metadata, {});
  const withAreas = SAMPLE.select(['areas'], ['areas']);
  assert.throws(
    () => withAreas.fromTable(edited({ 'area:V1': { kind: 'float32-vector', width: 3, values: new Float32Array(6) } }), 'f'),
    /column "area:V1": has width 3/,
  );
});

test('writing runs the same checks as a RangeError: a wrong width or value is the writer bug', () => {
  assert.throws(
    () => SAMPLE.build({ ...columns, areas: new Map([['V1', v1]]) }, metadata),
    (error: Error) => error instanceof RangeError && /^writing table "samples-r1", column "area:IT": missing/.test(error.message),
  );
  assert.throws(() => SAMPLE.build({ ...columns, split: ['train', 'val'] as never }, metadata), /column "split": row 1 is "val"/);
  assert.throws(() => SAMPLE.build(columns, { ...metadata, areas: [{ name: 'V1' }] as never }), /metadata "areas": at 0\.units: Required/);
});

test('concat: rows of several tables one after another; a vector of another width names the odd file', () => {
  const a = SAMPLE.fromTable(SAMPLE.build(columns, metadata), 'a.arrow');
  const b = SAMPLE.fromTable(SAMPLE.build({ ...columns, id: ['c', 'd'] }, metadata), 'b.arrow');
  const both = SAMPLE.fromTable(SAMPLE.build(SAMPLE.concat([a, b]), metadata), 'ab.arrow');
  assert.deepEqual(both.columns.id, ['a', 'b', 'c', 'd']);
  assert.deepEqual(both.columns.count, Int32Array.from([1, 2, 1, 2]));
  assert.deepEqual(both.columns.areas.get('V1')!.values, Float32Array.from([1, 2, 3, 4, 1, 2, 3, 4]));
  assert.equal(both.columns.latent, null);
  const LATENTS = defineTable({ name: 'latents', columns: { latent: float32Vector() } });
  const wide = LATENTS.fromTable(LATENTS.build({ latent: { width: 2, values: new Float32Array(2) } }), 'wide.arrow');
  const narrow = LATENTS.fromTable(LATENTS.build({ latent: { width: 1, values: new Float32Array(1) } }), 'narrow.arrow');
  assert.throws(
    () => LATENTS.concat([wide, narrow]),
    /^DataValidationError: narrow\.arrow: table "latents", column "latent": has width 1, wide\.arrow has width 2$/,
  );
});
