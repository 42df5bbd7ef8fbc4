/** The synthetic GOD world: layout, determinism and planted structure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFloat32Matrix, readJsonMetadata, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import type { AreaInfo } from '../../src/tables/dataset.js';
import { synthesizeGod } from '../../src/synthetic/god.js';
import { SMALL_WORLD, smallWorld } from './small-world.js';

test('writes one trials table per subject in the dataset layout, plus images, truth and shared tables', async () => {
  const world = await smallWorld();
  assert.deepEqual([...world.tables].sort(), [
    'images',
    'shared-PPA',
    'shared-V1',
    'shared-V4',
    'trials-sub-01',
    'trials-sub-02',
    'trials-sub-03',
    'truth',
  ]);
  const trials = world.readTable('trials-sub-02');
  const { trainImages, trainRepetitions, testImages, testRepetitions } = SMALL_WORLD;
  const expectedTrials = trainImages * trainRepetitions + testImages * testRepetitions;
  assert.equal(trials.numRows, expectedTrials);
  const areas = readJsonMetadata<AreaInfo[]>(trials, 'areas');
  assert.deepEqual(
    areas.map((a) => a.name),
    ['V1', 'V4', 'PPA'],
  );
  assert.equal(trials.schema.metadata.get('subject'), 'sub-02');
  for (const area of areas) assert.equal(readFloat32Matrix(trials, `area:${area.name}`).width, area.units);
  const split = readStrings(trials, 'split');
  assert.equal(split.filter((s) => s === 'test').length, testImages * testRepetitions);
  const ids = readStrings(trials, 'image_id');
  const reps = readNumbers(trials, 'repetition');
  // every test image is shown exactly testRepetitions times, once per repetition
  const shown = ids.filter((id, t) => id === 'test-0007' && reps[t]! >= 0).length;
  assert.equal(shown, SMALL_WORLD.testRepetitions);
  assert.equal(readFloat32Matrix(world.readTable('images'), 'latent').width, SMALL_WORLD.latentDim);
});

test('voxel counts differ per subject, PPA has no informative voxel, other areas have the configured share', async () => {
  const world = synthesizeGod(SMALL_WORLD, 11);
  const v1Counts = world.subjects.map((s) => s.areas[0]!.voxels);
  assert.ok(new Set(v1Counts).size > 1, `V1 voxel counts ${v1Counts} should differ between subjects`);
  for (const subject of world.subjects) {
    const [v1, , ppa] = subject.areas;
    assert.equal(
      ppa!.informative.reduce((a, b) => a + b, 0),
      0,
    );
    assert.ok(ppa!.signal.every((x) => x === 0));
    const share = v1!.informative.reduce((a, b) => a + b, 0) / v1!.voxels;
    assert.ok(Math.abs(share - (1 - (SMALL_WORLD.noSignalFraction as number))) < 0.05, `informative share ${share}`);
  }
});

test('per-area no-signal fractions and signal amplitudes are planted as configured', () => {
  const perArea = { ...SMALL_WORLD, noSignalFraction: { V1: 0.8, V4: 0.2 } };
  const full = synthesizeGod(perArea, 11);
  const weak = synthesizeGod({ ...perArea, signalAmplitude: { V4: 0.25 } }, 11);
  full.subjects.forEach((subject, s) => {
    const [v1, v4] = subject.areas;
    const share = (area: typeof v1) => area!.informative.reduce((a, b) => a + b, 0) / area!.voxels;
    assert.ok(Math.abs(share(v1) - 0.2) < 0.05, `V1 informative share ${share(v1)}`);
    assert.ok(Math.abs(share(v4) - 0.8) < 0.05, `V4 informative share ${share(v4)}`);
    // Same seed, same noise draws: the two worlds differ only by 3/4 of V4's signal, so each trial's difference is
    // proportional to the noise-free signal of its image, with one subject gain for every trial and voxel.
    assert.deepEqual(weak.subjects[s]!.responses[0], subject.responses[0], 'V1 keeps amplitude 1');
    const [a, b] = [subject.responses[1]!, weak.subjects[s]!.responses[1]!];
    const image = subject.imageIds.map((id) => full.imageIds.indexOf(id));
    const ratios: number[] = [];
    for (let t = 0; t < image.length; t++) {
      for (let v = 0; v < v4!.voxels; v++) {
        const planted = v4!.signal[image[t]! * v4!.voxels + v]!;
        if (Math.abs(planted) > 0.5) ratios.push((a[t * v4!.voxels + v]! - b[t * v4!.voxels + v]!) / (0.75 * planted));
      }
    }
    const gain = ratios[0]!;
    assert.ok(gain > 0.7 && gain < 1.3, `subject gain ${gain}`);
    assert.ok(
      ratios.every((r) => Math.abs(r - gain) < 1e-3),
      'difference = 3/4 · gain · signal everywhere',
    );
  });
});

test('the same seed gives the same world and another seed a different one', () => {
  const a = synthesizeGod(SMALL_WORLD, 5);
  const b = synthesizeGod(SMALL_WORLD, 5);
  const c = synthesizeGod(SMALL_WORLD, 6);
  assert.deepEqual(a.subjects[1]!.responses[0], b.subjects[1]!.responses[0]);
  assert.notDeepEqual(a.subjects[1]!.responses[0]!.subarray(0, 50), c.subjects[1]!.responses[0]!.subarray(0, 50));
});
