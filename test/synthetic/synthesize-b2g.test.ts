/** The synthetic B2G-like dataset stage: params, table layout, determinism, and a decodability ground-truth check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spec } from '../../src/stages/synthesize-b2g/spec.js';
import { runner } from '../../src/stages/synthesize-b2g/runner.js';
import { readFloat32Matrix, readJsonMetadata, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import type { AreaInfo } from '../../src/tables/dataset.js';
import { stageContext, writtenTable } from '../support/stage-context.js';
import { ridgeLatentCosine } from './ridge-decoder.js';

const SMALL = {
  latentDim: 32,
  mixDims: 8,
  trainItems: 120,
  testItems: 10,
  testRepetitions: 5,
  areas: [
    { name: 'V1', units: 48, informativeness: 0.05 },
    { name: 'V4', units: 32, informativeness: 0.25 },
    { name: 'IT', units: 32, informativeness: 0.75, nonlinearity: 'tanh' },
  ],
};

async function runStage(input: unknown, seed: number) {
  const ctx = stageContext({ params: spec.params.parse(input), seed });
  const result = await runner.run(ctx);
  return {
    result,
    progress: ctx.progressReports,
    table: (name: string) => writtenTable(ctx, name),
    /** The Arrow IPC file bytes of a written table. */
    bytes: (name: string) => readFileSync(join(ctx.output.dir, `${name}.arrow`)),
  };
}

test('defaults are the B2G sizes: 512-d latents, V1/V4/IT 448/256/256, 4000 train, 200 test × 20 reps', () => {
  const params = spec.params.parse({});
  assert.equal(params.latentDim, 512);
  assert.equal(params.trainItems, 4000);
  assert.equal(params.testItems, 200);
  assert.equal(params.testRepetitions, 20);
  assert.deepEqual(
    params.areas.map((a) => [a.name, a.units]),
    [
      ['V1', 448],
      ['V4', 256],
      ['IT', 256],
    ],
  );
  const [v1, v4, it] = params.areas.map((a) => a.informativeness);
  assert.ok(it! > v4! && v4! > v1!, 'IT is the most informative area, V1 the least');
  assert.equal(spec.kind, 'synthesize-b2g');
  assert.deepEqual(spec.inputs, []);
});

test('bad params are rejected with the offending path', () => {
  const issuePaths = (input: unknown) => {
    const parsed = spec.params.safeParse(input);
    assert.equal(parsed.success, false);
    return parsed.error!.issues.map((i) => i.path.join('.'));
  };
  assert.deepEqual(issuePaths({ latentDim: 8 }), ['mixDims']);
  assert.deepEqual(
    issuePaths({
      areas: [
        { name: 'IT', units: 4, informativeness: 0.5 },
        { name: 'IT', units: 4, informativeness: 0.2 },
      ],
    }),
    ['areas.1.name'],
  );
  assert.deepEqual(issuePaths({ areas: [{ name: 'V1', units: 4, informativeness: 1.5 }] }), ['areas.0.informativeness']);
  assert.deepEqual(issuePaths({ areas: [{ name: 'bad name', units: 4, informativeness: 0.5 }] }), ['areas.0.name']);
  assert.equal(spec.params.safeParse({ noise: 0.1 }).success, false, 'unknown keys are errors (.strict())');
});

test('writes train, test and areas tables in the dataset layout', async () => {
  const { table, progress, result } = await runStage(SMALL, 3);
  for (const [name, rows, repetitions, firstId] of [
    ['train', 120, '1', '0011'],
    ['test', 10, '5', '0001'],
  ] as const) {
    const t = table(name);
    assert.deepEqual(
      t.schema.fields.map((f) => f.name),
      ['item_id', 'latent', 'area:V1', 'area:V4', 'area:IT'],
    );
    assert.equal(t.numRows, rows);
    const ids = readStrings(t, 'item_id');
    assert.equal(ids[0], firstId);
    assert.equal(new Set(ids).size, rows);
    assert.equal(readFloat32Matrix(t, 'latent').width, 32);
    for (const [area, units] of [
      ['V1', 48],
      ['V4', 32],
      ['IT', 32],
    ] as const) {
      const m = readFloat32Matrix(t, `area:${area}`);
      assert.equal(m.width, units);
      assert.ok(m.values.every(Number.isFinite), `${name} ${area} responses are finite`);
    }
    assert.deepEqual(readJsonMetadata<AreaInfo[]>(t, 'areas'), [
      { name: 'V1', units: 48 },
      { name: 'V4', units: 32 },
      { name: 'IT', units: 32 },
    ]);
    assert.equal(t.schema.metadata.get('repetitions'), repetitions);
  }
  const areas = table('areas');
  assert.deepEqual(readStrings(areas, 'name'), ['V1', 'V4', 'IT']);
  assert.deepEqual([...readNumbers(areas, 'units')], [48, 32, 32]);
  assert.deepEqual([...readNumbers(areas, 'informativeness')], [0.05, 0.25, 0.75]);
  assert.deepEqual(readStrings(areas, 'nonlinearity'), ['softplus', 'softplus', 'tanh']);
  assert.equal(result.summary['units'], 112);
  assert.equal(result.summary['informativeness.IT'], 0.75);
  assert.deepEqual(
    progress.map((p) => p.fraction),
    [...progress.map((p) => p.fraction)].sort((a, b) => a - b),
  );
  assert.equal(progress.at(-1)!.fraction, 1);
  // tanh units are bounded; softplus units are positive firing rates.
  assert.ok(readFloat32Matrix(table('train'), 'area:IT').values.every((v) => Math.abs(v) <= 1));
  assert.ok(readFloat32Matrix(table('train'), 'area:V1').values.every((v) => v > 0));
});

test('the same seed gives identical bytes; another seed or more test repetitions change only what they should', async () => {
  const a = await runStage(SMALL, 11);
  const b = await runStage(SMALL, 11);
  for (const name of ['train', 'test', 'areas']) assert.deepEqual(a.bytes(name), b.bytes(name), `${name} is reproducible`);
  const other = await runStage(SMALL, 12);
  assert.notDeepEqual(other.bytes('train'), a.bytes('train'));
  const moreReps = await runStage({ ...SMALL, testRepetitions: 9 }, 11);
  assert.deepEqual(moreReps.bytes('train'), a.bytes('train'), 'training set does not depend on test repetitions');
  assert.deepEqual(readFloat32Matrix(moreReps.table('test'), 'latent').values, readFloat32Matrix(a.table('test'), 'latent').values);
  assert.notDeepEqual(readFloat32Matrix(moreReps.table('test'), 'area:V1').values, readFloat32Matrix(a.table('test'), 'area:V1').values);
});

test('tiny worlds work: one 64-unit area, 200 items, 1 test repetition', async () => {
  const { table } = await runStage(
    {
      latentDim: 8,
      mixDims: 4,
      trainItems: 200,
      testItems: 1,
      testRepetitions: 1,
      areas: [{ name: 'LOC', units: 64, informativeness: 1 }],
    },
    0,
  );
  assert.deepEqual(
    table('train').schema.fields.map((f) => f.name),
    ['item_id', 'latent', 'area:LOC'],
  );
  assert.equal(readFloat32Matrix(table('train'), 'area:LOC').values.length, 200 * 64);
  assert.deepEqual(readStrings(table('test'), 'item_id'), ['0001']);
});

test('ground truth is decodable: a ridge decoder recovers the latent best from IT, worst from V1, not at all from noise', async () => {
  // B2G's proportions (units/latentDim = 448/512, 256/512) at a quarter of the size, to stay fast; plus a control
  // area whose informativeness is 0.
  const config = {
    latentDim: 128,
    trainItems: 2000,
    testItems: 100,
    areas: [
      { name: 'V1', units: 112, informativeness: 0.05 },
      { name: 'V4', units: 64, informativeness: 0.25 },
      { name: 'IT', units: 64, informativeness: 0.75, nonlinearity: 'tanh' },
      { name: 'noise', units: 64, informativeness: 0 },
    ],
  };
  const { table } = await runStage(config, 5);
  const [train, testSet] = [table('train'), table('test')];
  const score: Record<string, number> = {};
  for (const area of config.areas) {
    score[area.name] = ridgeLatentCosine(
      { x: readFloat32Matrix(train, `area:${area.name}`).values, z: readFloat32Matrix(train, 'latent').values },
      { x: readFloat32Matrix(testSet, `area:${area.name}`).values, z: readFloat32Matrix(testSet, 'latent').values },
      area.units,
      config.latentDim,
    );
  }
  assert.ok(score['IT']! > score['V4']! + 0.05, `IT ${score['IT']} beats V4 ${score['V4']}`);
  assert.ok(score['V4']! > score['V1']! + 0.05, `V4 ${score['V4']} beats V1 ${score['V1']}`);
  assert.ok(score['V1']! > 0.05, `V1 still carries some latent information (${score['V1']})`);
  assert.ok(Math.abs(score['noise']!) < 0.05, `an area with informativeness 0 carries none (${score['noise']})`);

  // Test responses average 20 trials, so the trial noise that dominates V1 shrinks: each unit varies far less
  // across test items than across single-trial training items (expected ratio about ρ + (1 − ρ)/20 ≈ 0.1).
  const unitVariance = ({ values, rows, width }: { values: Float32Array; rows: number; width: number }) => {
    let total = 0;
    for (let j = 0; j < width; j++) {
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < rows; i++) {
        const v = values[i * width + j]!;
        sum += v;
        sumSq += v * v;
      }
      total += sumSq / rows - (sum / rows) ** 2;
    }
    return total / width;
  };
  const ratio = unitVariance(readFloat32Matrix(testSet, 'area:V1')) / unitVariance(readFloat32Matrix(train, 'area:V1'));
  assert.ok(ratio < 0.25, `averaged V1 test responses vary less than single trials (variance ratio ${ratio})`);
  assert.ok(ratio > 0.02, `but they still vary with the latent (variance ratio ${ratio})`);
});
