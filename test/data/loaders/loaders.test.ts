/** Acceptance (3): the loaders read the fixture files into exactly what scripts/fixtures/formats/make_formats.py wrote. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readB2gMua, B2G_AREAS } from '../../../src/data/loaders/b2g-mua.js';
import { readB2gLatents } from '../../../src/data/loaders/b2g-latents.js';
import { b2gSplitTable } from '../../../src/data/loaders/b2g-dataset.js';
import { readBData } from '../../../src/data/loaders/bdata.js';
import { bdataToTrials, stimulusIdToImageId, GOD_AREAS } from '../../../src/data/loaders/god-trials.js';
import { godSubjectTable } from '../../../src/data/loaders/god-subject-table.js';
import { readFloat32Matrix, readJsonMetadata, readNumbers, readStrings } from '../../../src/tables/arrow-tables.js';
import type { AreaInfo } from '../../../src/tables/dataset.js';

const DIR = 'fixtures/formats';
interface Expected {
  b2g: Record<'train' | 'test', { rows: number; areas: Record<string, number[]>; latent: number[] }>;
  god: Record<
    string,
    {
      split: string;
      image_id: string[];
      run: number[];
      repetition: number[];
      areas: Record<string, number[]>;
      units: Record<string, number>;
    }
  >;
}
const expected = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as Expected;

test('B2G .mat + w pickle → train/test tables with V1/V4/IT after deleting channels 320–383', async () => {
  const mua = await readB2gMua(`${DIR}/b2g/StyleGAN_XL_MUA.mat`);
  const w = readB2gLatents(`${DIR}/b2g/StyleGAN_XL_w.pickle`);
  for (const split of ['train', 'test'] as const) {
    const table = b2gSplitTable(split, mua[split], w[split], 'fixture');
    const want = expected.b2g[split];
    assert.equal(table.numRows, want.rows);
    assert.deepEqual(readStrings(table, 'item_id').slice(0, 2), [`${split}-0001`, `${split}-0002`]);
    for (const area of B2G_AREAS) {
      const got = readFloat32Matrix(table, `area:${area.name}`);
      assert.equal(got.width, area.units);
      assert.deepEqual(got.values, Float32Array.from(want.areas[area.name]!), `${split} ${area.name}`);
    }
    const latent = readFloat32Matrix(table, 'latent');
    assert.equal(latent.width, 512);
    assert.deepEqual(latent.values, Float32Array.from(want.latent));
    assert.deepEqual(
      readJsonMetadata<AreaInfo[]>(table, 'areas').map((a) => [a.name, a.units, a.sourceColumns]),
      [
        ['V1', 448, [0, 448]],
        ['V4', 256, [448, 704]],
        ['IT', 256, [704, 960]],
      ],
    );
  }
});

test('BData files (dataset/metadata and dataSet/metaData) → trials with ids, runs, repetitions and ROI voxels', async () => {
  for (const [name, want] of Object.entries(expected.god)) {
    const trials = bdataToTrials(await readBData(`${DIR}/god/${name}`));
    assert.deepEqual(trials.imageIds, want.image_id, name);
    assert.deepEqual([...trials.runs], want.run, name);
    assert.deepEqual([...trials.repetitions], want.repetition, name);
    assert.deepEqual(
      trials.areas.map((a) => a.info.name),
      [...GOD_AREAS],
    );
    for (const area of trials.areas) {
      assert.equal(area.info.units, want.units[area.info.name], `${name} ${area.info.name}`);
      assert.deepEqual(area.values, Float32Array.from(want.areas[area.info.name]!), `${name} ${area.info.name}`);
    }
  }
});

test('one subject’s train and test files stack into trials-<subject> with split labels', async () => {
  const files = (['Training', 'Test'] as const).map(async (kind) => ({
    split: kind === 'Training' ? ('train' as const) : ('test' as const),
    source: kind,
    trials: bdataToTrials(await readBData(`${DIR}/god/sub-01_perceptionNaturalImage${kind}_original_VC.h5`)),
  }));
  const table = godSubjectTable('sub-01', await Promise.all(files));
  const train = expected.god['sub-01_perceptionNaturalImageTraining_original_VC.h5']!;
  const testSplit = expected.god['sub-01_perceptionNaturalImageTest_original_VC.h5']!;
  assert.equal(table.numRows, train.image_id.length + testSplit.image_id.length);
  assert.deepEqual(readStrings(table, 'split'), [...train.image_id.map(() => 'train'), ...testSplit.image_id.map(() => 'test')]);
  assert.deepEqual([...readNumbers(table, 'repetition')], [...train.repetition, ...testSplit.repetition]);
  assert.deepEqual(readFloat32Matrix(table, 'area:PPA').values, Float32Array.from([...train.areas.PPA!, ...testSplit.areas.PPA!]));
  assert.equal(table.schema.metadata.get('subject'), 'sub-01');
});

test('stimulus_id floats decode to WordNet image names', () => {
  assert.equal(stimulusIdToImageId(1518878.005958), 'n01518878_5958');
  assert.equal(stimulusIdToImageId(1518878.010042), 'n01518878_10042');
});
