/** The select-voxels stage on the hyperaligned small world: Table 1 outputs, science checks, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import { selectVoxelsParams } from '../../src/stages/select-voxels/spec.js';
import { runner } from '../../src/stages/select-voxels/runner.js';
import { averageRepetitions, commonImageOrder } from '../../src/fmri/trial-average.js';
import { summaryLambda } from '../../src/fmri/voxel-selection.js';
import { commitOutput, inputArtifact, stageContext, writtenTable } from '../support/stage-context.js';
import { smallAligned, smallWorld } from './small-world.js';

const params = selectVoxelsParams.parse({});
let selected: ArtifactInput | null = null;
async function selectedWorld(): Promise<ArtifactInput> {
  if (!selected) {
    const run = stageContext({ params, inputs: { dataset: await smallAligned() } });
    selected = await commitOutput(run, 'select-voxels', (await runner.run(run)).summary);
  }
  return selected;
}

test('writes the reduced dataset, voxel scores and the Table 1 counts; PPA ends with 0 voxels and is dropped', async () => {
  const out = await selectedWorld();
  const counts = out.readTable('voxel-counts');
  const areas = readStrings(counts, 'area');
  const before = readNumbers(counts, 'voxels_before');
  const after = readNumbers(counts, 'voxels_after');
  assert.deepEqual(areas, ['V1', 'V4', 'PPA']);
  assert.equal(after[2], 0);
  [0, 1].forEach((a) => {
    assert.ok(after[a]! > 0 && after[a]! <= before[a]!, `${areas[a]}: ${after[a]}/${before[a]}`);
  });
  const info = readJsonMetadata<AreaInfo[]>(out.readTable('train'), 'areas');
  assert.deepEqual(
    info.map((a) => `${a.name}:${a.units}`),
    [`V1:${after[0]}`, `V4:${after[1]}`],
  );
  assert.equal(out.readTable('train').getChild('area:PPA'), null);
  assert.equal(readFloat32Matrix(out.readTable('test'), 'area:V4').width, after[1]);
  const scores = out.readTable('voxel-scores');
  assert.equal(
    scores.numRows,
    before.reduce((a, b) => a + b, 0),
  );
  const q = readNumbers(scores, 'q');
  const flags = readNumbers(scores, 'selected');
  q.forEach((value, k) => {
    assert.equal(flags[k], value <= 0.05 ? 1 : 0);
  });
  // One λ per area and outer fold (RidgeCV inside the training fold, over that fold's own grid); the column holds
  // their geometric mean.
  const foldLambdas = readJsonMetadata<Record<string, number[]>>(scores, 'fold_lambdas');
  const positions = readJsonMetadata<Record<string, number[]>>(scores, 'fold_lambda_positions');
  assert.deepEqual(Object.keys(foldLambdas), areas);
  assert.deepEqual(Object.keys(positions), areas);
  const scoreArea = readStrings(scores, 'area');
  const lambda = readNumbers(scores, 'lambda');
  for (const area of areas) {
    const chosen = Float64Array.from(foldLambdas[area]!);
    assert.equal(chosen.length, params.folds);
    assert.ok(positions[area]!.every((k) => Number.isInteger(k) && k >= 0 && k < params.lambdaCount));
    lambda.forEach((value, k) => {
      if (scoreArea[k] === area) assert.equal(value, summaryLambda(chosen), `${area} voxel ${k}`);
    });
  }
});

test('lambdaGrid: per-fold by default, global on request, anything else refused at the params boundary', async () => {
  assert.equal(params.lambdaGrid, 'per-fold');
  assert.throws(() => selectVoxelsParams.parse({ lambdaGrid: 'per-area' }), /per-fold.*global|global.*per-fold/);
  const run = stageContext({ params: selectVoxelsParams.parse({ lambdaGrid: 'global' }), inputs: { dataset: await smallAligned() } });
  const summary = (await runner.run(run)).summary;
  assert.equal(summary['lambdaGrid'], 'global');
  const scores = writtenTable(run, 'voxel-scores');
  const perFold = (await selectedWorld()).readTable('voxel-scores');
  const lambdasOf = (table: Table) => readJsonMetadata<Record<string, number[]>>(table, 'fold_lambdas')['V1']!;
  // One grid for all folds: every chosen λ is one of its values, so few distinct values; per fold, each differs.
  assert.ok(new Set(lambdasOf(scores)).size < params.folds, `global: ${lambdasOf(scores)}`);
  assert.equal(new Set(lambdasOf(perFold)).size, params.folds);
});

/** recall of planted informative voxels and share of no-signal voxels among the selected, per area. */
function selectionQuality(truth: Table, subject: string, scores: Table, area: string) {
  const truthSubject = readStrings(truth, 'subject');
  const truthArea = readStrings(truth, 'area');
  const informative = readNumbers(truth, 'informative');
  const planted = [...informative].filter((_, k) => truthSubject[k] === subject && truthArea[k] === area);
  const scoreArea = readStrings(scores, 'area');
  const chosen = [...readNumbers(scores, 'selected')].filter((_, k) => scoreArea[k] === area);
  assert.equal(chosen.length, planted.length);
  const hits = chosen.filter((flag, v) => flag && planted[v]).length;
  const selectedCount = chosen.filter(Boolean).length;
  return { recall: hits / planted.filter(Boolean).length, noSignalShare: (selectedCount - hits) / Math.max(1, selectedCount) };
}

/** One subject's repetition-averaged responses as a decoding dataset (no hyperalignment). */
function subjectDataset(world: ArtifactInput, subject: string): Map<string, Table> {
  const trials = world.readTable(`trials-${subject}`);
  const data = {
    subject,
    imageIds: readStrings(trials, 'image_id'),
    split: readStrings(trials, 'split'),
    areas: new Map(
      ['V1', 'V4'].map((a) => {
        const m = readFloat32Matrix(trials, `area:${a}`);
        return [a, { voxels: m.width, values: m.values }] as const;
      }),
    ),
  };
  const order = commonImageOrder([data]);
  const images = world.readTable('images');
  const ids = readStrings(images, 'image_id');
  const latent = readFloat32Matrix(images, 'latent');
  const tables = new Map<string, Table>();
  for (const split of ['train', 'test'] as const) {
    const latents = new Float32Array(order[split].length * latent.width);
    order[split].forEach((id, i) => {
      latents.set(latent.values.subarray(ids.indexOf(id) * latent.width, (ids.indexOf(id) + 1) * latent.width), i * latent.width);
    });
    const columns: Record<string, ColumnSpec> = {
      item_id: { kind: 'utf8', values: order[split] },
      latent: { kind: 'float32-vector', width: latent.width, values: latents },
    };
    const info = ['V1', 'V4'].map((area) => {
      const m = averageRepetitions(data, area, split, order[split]);
      columns[`area:${area}`] = { kind: 'float32-vector', width: m.cols, values: Float32Array.from(m.data) };
      return { name: area, units: m.cols };
    });
    tables.set(split, buildTable(columns, { areas: JSON.stringify(info) }));
  }
  return tables;
}

test('science: after hyperalignment + selection, recall of planted informative voxels ≥ 0.9', async () => {
  const world = await smallWorld();
  const aligned = await smallAligned();
  const out = await selectedWorld();
  for (const area of ['V1', 'V4']) {
    // The common space is the reference subject's voxel space (PyMVPA ref = most voxels).
    const reference = aligned.readTable(`mappers-${area}`).schema.metadata.get('reference')!;
    const { recall } = selectionQuality(world.readTable('truth'), reference, out.readTable('voxel-scores'), area);
    // Measured (seed 11): recall 1.00 in V1 and V4.
    assert.ok(recall >= 0.9, `${area}: recall ${recall}`);
  }
});

test('science: on one subject own voxels (no alignment), recall ≥ 0.9 and ≤ 10 % of the selected voxels carry no signal', async () => {
  // Measured on the hyperaligned data instead, the reference's no-signal voxels are NOT clean: Procrustes
  // estimation error (∝ √(voxels/images)) leaks signal into them (mean CV r 0.32 vs 0.72 for informative V1 voxels
  // on this world), and every one of them passes FDR — a property of the method (our hyperalignment equals the
  // PyMVPA re-derivation to 1e-8), reported rather than tested. Voxel identity is only exact in subject space.
  const world = await smallWorld();
  const run = stageContext({ params, inputs: { dataset: await inputArtifact('average', subjectDataset(world, 'sub-02')) } });
  await runner.run(run);
  // Every finished CV fold is a progress report, so the engine's silence watch hears from the stage within an area.
  const folds = run.progressReports.filter((p) => /^select-voxels V1: fold \d+\/10$/.test(p.message));
  assert.equal(folds.length, params.folds);
  assert.deepEqual(folds.at(-1)!.parts?.['V1'], { fraction: 0.99, message: 'fold 10/10' });
  assert.match(run.progressReports.at(-2)!.parts?.['V1']?.message ?? '', /^\d+\/\d+ voxels kept$/);
  for (const area of ['V1', 'V4']) {
    const { recall, noSignalShare } = selectionQuality(world.readTable('truth'), 'sub-02', writtenTable(run, 'voxel-scores'), area);
    // Measured (seed 11): V1 recall 1.00, no-signal share 0.036 (1 of 28); V4 recall 1.00, share 0.
    assert.ok(recall >= 0.9, `${area}: recall ${recall}`);
    assert.ok(noSignalShare <= 0.1, `${area}: share of selected no-signal voxels ${noSignalShare}`);
  }
});

test('bad input: too few samples for the folds, NaN, constant voxel, missing latent', async () => {
  const aligned = await smallAligned();
  const train = aligned.readTable('train');
  const rebuild = async (rows: number, edit: (v1: Float32Array, width: number) => void, withLatent = true) => {
    const latent = readFloat32Matrix(train, 'latent');
    const v1 = readFloat32Matrix(train, 'area:V1');
    const values = v1.values.slice(0, rows * v1.width);
    edit(values, v1.width);
    const table = buildTable(
      {
        item_id: { kind: 'utf8', values: readStrings(train, 'item_id').slice(0, rows) },
        ...(withLatent
          ? { latent: { kind: 'float32-vector' as const, width: latent.width, values: latent.values.slice(0, rows * latent.width) } }
          : {}),
        'area:V1': { kind: 'float32-vector', width: v1.width, values },
      },
      { areas: JSON.stringify([{ name: 'V1', units: v1.width }]) },
    );
    return { dataset: await inputArtifact('hyperalign', { train: table, test: table }) };
  };
  await assert.rejects(
    runner.run(stageContext({ params, inputs: await rebuild(8, () => {}) })),
    /area "V1" has 8 training samples, fewer than the 10 CV folds/,
  );
  await assert.rejects(
    runner.run(stageContext({ params, inputs: await rebuild(100, (v, w) => (v[7 * w + 4] = Number.POSITIVE_INFINITY)) })),
    /train area "V1" column 4 has Infinity at row 7/,
  );
  await assert.rejects(
    runner.run(
      stageContext({
        params,
        inputs: await rebuild(100, (v, w) => {
          for (let r = 0; r < 100; r++) v[r * w + 6] = 0.5;
        }),
      }),
    ),
    /train: area "V1" voxel 6 is constant/,
  );
  await assert.rejects(runner.run(stageContext({ params, inputs: await rebuild(100, () => {}, false) })), /no "latent" column/);
});
