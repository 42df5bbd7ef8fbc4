/** The hyperalign stage on the small synthetic world: layout, science check, bad input, checkpoints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import {
  buildTable,
  type ColumnSpec,
  readFloat32Matrix,
  readJsonMetadata,
  readNumbers,
  readStrings,
} from '../../src/tables/arrow-tables.js';
import type { AreaInfo } from '../../src/tables/dataset.js';
import { hyperalignParams } from '../../src/stages/hyperalign/spec.js';
import { runner } from '../../src/stages/hyperalign/runner.js';
import { pearsonR } from '../../src/stats/pearson.js';
import { mean } from '../../src/stats/summary.js';
import { inputArtifact, stageContext, tablesOf, writtenTable } from '../support/stage-context.js';
import { SMALL_WORLD, smallAligned, smallWorld } from './small-world.js';

function column(values: Float32Array | Float64Array, rows: number, width: number, v: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => values[i * width + v]!);
}

/** Subject's test responses averaged over repetitions, rows in sorted image-id order. */
function testAverages(trials: Table, area: string): { values: Float64Array; rows: number; width: number } {
  const ids = readStrings(trials, 'image_id');
  const split = readStrings(trials, 'split');
  const m = readFloat32Matrix(trials, `area:${area}`);
  const order = [...new Set(ids.filter((_, t) => split[t] === 'test'))].sort();
  const values = new Float64Array(order.length * m.width);
  const counts = new Float64Array(order.length);
  ids.forEach((id, t) => {
    if (split[t] !== 'test') return;
    const i = order.indexOf(id);
    counts[i]++;
    for (let v = 0; v < m.width; v++) values[i * m.width + v] += m.values[t * m.width + v]!;
  });
  for (let k = 0; k < values.length; k++) values[k] /= counts[Math.floor(k / m.width)]!;
  return { values, rows: order.length, width: m.width };
}

test('writes a decoding dataset with latents, mappers and residuals', async () => {
  const out = await smallAligned();
  assert.deepEqual([...out.tables].sort(), ['mappers-PPA', 'mappers-V1', 'mappers-V4', 'residuals', 'test', 'train']);
  const train = out.readTable('train');
  assert.equal(train.numRows, SMALL_WORLD.trainImages);
  assert.equal(out.readTable('test').numRows, SMALL_WORLD.testImages);
  const areas = readJsonMetadata<AreaInfo[]>(train, 'areas');
  assert.deepEqual(
    areas.map((a) => a.name),
    ['V1', 'V4', 'PPA'],
  );
  assert.equal(readFloat32Matrix(train, 'latent').width, 8);
  const v1 = readFloat32Matrix(train, 'area:V1');
  assert.equal(v1.width, areas[0]!.units);
  // z-scored with training statistics (ddof 1): column mean 0, SD 1
  const first = column(v1.values, v1.rows, v1.width, 0);
  assert.ok(Math.abs(mean(first)) < 1e-5);
  const residuals = out.readTable('residuals');
  assert.equal(residuals.numRows, 3 * 3 * 3);
  assert.ok([...readNumbers(residuals, 'residual')].every((r) => Number.isFinite(r) && r >= 0));
});

test('aligned test responses track the planted shared response far better than unaligned ones', async () => {
  const world = await smallWorld();
  const out = await smallAligned();
  const mappers = out.readTable('mappers-V1');
  const reference = mappers.schema.metadata.get('reference')!;
  const targetMean = JSON.parse(mappers.schema.metadata.get('targetMean')!) as Record<string, number[]>;
  const shared = world.readTable('shared-V1');
  const split = readStrings(shared, 'split');
  const testRows = split.map((s, i) => (s === 'test' ? i : -1)).filter((i) => i >= 0);
  const planted = readFloat32Matrix(shared, `subject:${reference}`);
  const truth = world.readTable('truth');
  const truthSubject = readStrings(truth, 'subject');
  const truthArea = readStrings(truth, 'area');
  const informative = readNumbers(truth, 'informative');
  const refVoxels = [...readNumbers(truth, 'voxel')].filter(
    (_, k) => truthSubject[k] === reference && truthArea[k] === 'V1' && informative[k] === 1,
  );
  const projection = readFloat32Matrix(mappers, 'projection');
  const mapperSubject = readStrings(mappers, 'subject');
  const sourceMean = readNumbers(mappers, 'source_mean');
  for (const subject of ['sub-01', 'sub-02', 'sub-03'].filter((s) => s !== reference)) {
    const raw = testAverages(world.readTable(`trials-${subject}`), 'V1');
    const rows = mapperSubject.map((s, k) => (s === subject ? k : -1)).filter((k) => k >= 0);
    const aligned = new Float64Array(raw.rows * projection.width);
    for (let i = 0; i < raw.rows; i++) {
      for (let j = 0; j < projection.width; j++) {
        let sum = targetMean[subject]![j]!;
        rows.forEach((k, v) => {
          sum += (raw.values[i * raw.width + v]! - sourceMean[k]!) * projection.values[k * projection.width + j]!;
        });
        aligned[i * projection.width + j] = sum;
      }
    }
    const plantedColumn = (v: number) => Float64Array.from(testRows, (i) => planted.values[i * planted.width + v]!);
    const alignedR = mean(refVoxels.map((v) => pearsonR(column(aligned, raw.rows, projection.width, v), plantedColumn(v))));
    const unalignedR = mean(
      refVoxels.filter((v) => v < raw.width).map((v) => pearsonR(column(raw.values, raw.rows, raw.width, v), plantedColumn(v))),
    );
    // Measured on this world (seed 11): aligned r 0.768 / 0.708, unaligned r 0.040 / −0.053.
    assert.ok(alignedR > 0.6, `${subject}: aligned r ${alignedR}`);
    assert.ok(Math.abs(unalignedR) < 0.25, `${subject}: unaligned r ${unalignedR}`);
  }
});

test('bad input: mismatched image sets, NaN voxel and constant voxel are named errors', async () => {
  const world = await smallWorld();
  const withTable = (name: string, edit: (t: Table) => Table) => {
    const tables = tablesOf(world);
    tables.set(name, edit(world.readTable(name)));
    return inputArtifact('synthesize-god', tables);
  };
  /** Rebuild a trials table with edited image ids and/or V4 responses. */
  const rebuild = (t: Table, edit: { ids?: (id: string) => string; v4?: (values: Float32Array, width: number) => void }) => {
    const columns: Record<string, ColumnSpec> = {
      image_id: { kind: 'utf8', values: readStrings(t, 'image_id').map(edit.ids ?? ((id) => id)) },
      split: { kind: 'utf8', values: readStrings(t, 'split') },
    };
    for (const area of ['V1', 'V4', 'PPA']) {
      const m = readFloat32Matrix(t, `area:${area}`);
      if (area === 'V4') edit.v4?.(m.values, m.width);
      columns[`area:${area}`] = { kind: 'float32-vector', width: m.width, values: m.values };
    }
    return buildTable(columns, Object.fromEntries(t.schema.metadata));
  };
  const params = hyperalignParams.parse({ writeMappers: false });
  const nan = await withTable('trials-sub-02', (t) => rebuild(t, { v4: (values, width) => (values[5 * width + 3] = Number.NaN) }));
  await assert.rejects(runner.run(stageContext({ params, inputs: { trials: nan } })), /trials-sub-02: area "V4" column 3 .*NaN/);
  const constant = await withTable('trials-sub-03', (t) =>
    rebuild(t, {
      v4: (values, width) => {
        for (let r = 0; r < values.length / width; r++) values[r * width + 2] = 1;
      },
    }),
  );
  await assert.rejects(runner.run(stageContext({ params, inputs: { trials: constant } })), /trials-sub-03: area "V4" voxel 2 is constant/);
  const renamed = await withTable('trials-sub-01', (t) => rebuild(t, { ids: (id) => (id === 'train-0004' ? 'train-9999' : id) }));
  await assert.rejects(
    runner.run(stageContext({ params, inputs: { trials: renamed } })),
    /trials-sub-02: train images differ from trials-sub-01 \(missing "train-9999"\)/,
  );
});

test('a retried attempt restores finished areas from partialDir and gives identical outputs', async () => {
  const trials = await smallWorld();
  const params = hyperalignParams.parse({ areas: ['V4', 'PPA'], writeMappers: false });
  const first = stageContext({ params, inputs: { trials } });
  await runner.run(first);
  // Each finished Procrustes fit in the pool threads is a progress report (3 subjects: 3·3 − 1 fits per area), so
  // the engine's silence watch hears from the stage while an area aligns.
  const fits = first.progressReports.filter((p) => /^hyperalign (V4|PPA): Procrustes fit \d\/8$/.test(p.message));
  assert.equal(fits.length, 16);
  // Each area has its own part, so the CLI shows one line per area however the pool interleaves them.
  assert.ok(fits.every((p) => Object.keys(p.parts ?? {}).join() === 'V4,PPA'));
  for (const p of fits) {
    const [, area, fit] = /^hyperalign (\w+): (.*)$/.exec(p.message)!;
    assert.equal(p.parts?.[area!]?.message, fit, 'the fit is reported in its own area part');
  }
  assert.deepEqual(first.progressReports.at(-2)?.parts, {
    V4: { fraction: 1, message: 'aligned' },
    PPA: { fraction: 1, message: 'aligned' },
  });
  for (const area of readdirSync(first.partialDir)) {
    assert.equal(readdirSync(join(first.partialDir, area)).filter((f) => f.endsWith('.arrow')).length, 4, area);
  }
  assert.equal(readdirSync(first.partialDir).length, 2);
  const second = stageContext({ params, inputs: { trials }, partialDir: first.partialDir });
  await runner.run(second);
  assert.equal(second.progressReports.filter((p) => p.message.includes('Procrustes')).length, 0);
  const a = readFloat32Matrix(writtenTable(first, 'test'), 'area:V4').values;
  const b = readFloat32Matrix(writtenTable(second, 'test'), 'area:V4').values;
  assert.deepEqual(a, b);
});

test("a damaged area checkpoint is reported and that area recomputed; the other's is reused", async () => {
  const trials = await smallWorld();
  const params = hyperalignParams.parse({ areas: ['V4', 'PPA'], writeMappers: false });
  const first = stageContext({ params, inputs: { trials } });
  await runner.run(first);
  const file = join(first.partialDir, 'area-1', 'test.arrow');
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1]! ^= 0x01;
  writeFileSync(file, bytes);
  const second = stageContext({ params, inputs: { trials }, partialDir: first.partialDir });
  await runner.run(second);
  const line = 'hyperalign: area PPA checkpoint damaged (test.arrow sha256 mismatch); recomputing it';
  assert.ok(second.logs.includes(line), second.logs.join('\n'));
  assert.ok(second.progressReports.some((p) => p.message === line));
  assert.ok(second.logs.includes('hyperalign: 1 area(s) restored from checkpoint'));
  assert.deepEqual(
    second.logs.filter((l) => / aligned into /.test(l)).map((l) => l.split(' ')[2]),
    ['PPA'],
  );
  for (const area of ['V4', 'PPA']) {
    assert.deepEqual(
      readFloat32Matrix(writtenTable(second, 'test'), `area:${area}`).values,
      readFloat32Matrix(writtenTable(first, 'test'), `area:${area}`).values,
    );
  }
});
