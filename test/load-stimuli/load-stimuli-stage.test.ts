/** The `load-stimuli` runner on the committed fixture folder: tables, order, hashes, summary, and every error. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataValidationError } from '../../src/errors/pipeline-errors.js';
import { STIMULI_TABLE, STIMULUS_FILES_TABLE, stimuliFromTable, stimulusPixels } from '../../src/tables/stimuli.js';
import { runner } from '../../src/stages/load-stimuli/runner.js';
import { spec, type LoadStimuliParams } from '../../src/stages/load-stimuli/spec.js';
import { readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { commitOutput, stageContext } from '../support/stage-context.js';
import { FIXTURE_FOLDER, fixtureCopy, readExpected } from './stimulus-fixture.js';

const expected = readExpected();

function params(overrides: Record<string, unknown>): LoadStimuliParams {
  return spec.params.parse({ size: expected.size, ...overrides });
}

async function load(overrides: Record<string, unknown>) {
  const ctx = stageContext({ params: params(overrides) });
  const result = await runner.run(ctx);
  return { ctx, result, output: await commitOutput(ctx, 'load-stimuli', result.summary) };
}

/** Run and expect a DataValidationError whose message matches. */
async function rejects(overrides: Record<string, unknown>, message: RegExp): Promise<void> {
  await assert.rejects(runner.run(stageContext({ params: params(overrides) })), (e: unknown) => {
    assert.ok(e instanceof DataValidationError, `expected DataValidationError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

test('loads train then test, ids in code-unit order, pixels as the Pillow reference', async () => {
  // Absolute, as the loaded config hands it to the runner (relative paths resolve at load: src/config/external-paths.ts).
  const { result, output, ctx } = await load({ folder: FIXTURE_FOLDER });
  const stimuli = stimuliFromTable(output.readTable(STIMULI_TABLE), 'stimuli.arrow');
  const order = expected.images.filter((i) => i.split === 'train').concat(expected.images.filter((i) => i.split === 'test'));
  assert.deepEqual(stimuli.ids, [
    'n01518878_10042',
    'n01518878_5958',
    'n02000000_0002',
    'n02000000_0003',
    'n03000000_0003',
    'n09999999_0001',
    'n09999999_0002',
  ]);
  assert.deepEqual(
    stimuli.ids,
    order.map((i) => i.image_id),
  );
  assert.deepEqual(
    stimuli.splits,
    order.map((i) => i.split),
  );
  assert.equal(stimuli.height, expected.size);
  assert.equal(stimuli.width, expected.size);
  assert.match(stimuli.source, /^load-stimuli .*fixtures\/stimuli\/folder: centre crop/);
  order.forEach((image, row) => {
    const pixels = stimulusPixels(stimuli, row);
    const tolerance = image.format === 'JPEG' ? 4 / 127.5 : 1e-5;
    image.pixels.forEach((want, i) => {
      assert.ok(Math.abs(pixels[i]! - want) <= tolerance, `${image.file} value ${i}`);
    });
  });
  assert.deepEqual(result.summary, {
    train: 4,
    test: 3,
    size: expected.size,
    folder: FIXTURE_FOLDER,
    filesSha256: result.summary['filesSha256'],
    ignoredFiles: 1,
  });
  assert.match(String(result.summary['filesSha256']), /^[0-9a-f]{64}$/);
  assert.ok(ctx.logs.some((l) => l.includes('test/README.txt')));
  assert.equal(ctx.progressReports.at(-1)?.fraction, 1);
});

test('stimulus-files records every file read with its size and sha256 (from the fixture script)', async () => {
  const { output, result } = await load({ folder: FIXTURE_FOLDER });
  const table = output.readTable(STIMULUS_FILES_TABLE);
  const order = ['train', 'test'].flatMap((s) => expected.images.filter((i) => i.split === s));
  assert.deepEqual(
    readStrings(table, 'image_id'),
    order.map((i) => i.image_id),
  );
  assert.deepEqual(
    readStrings(table, 'split'),
    order.map((i) => i.split),
  );
  assert.deepEqual(
    readStrings(table, 'file'),
    order.map((i) => i.file),
  );
  assert.deepEqual(
    [...readNumbers(table, 'bytes')],
    order.map((i) => i.bytes),
  );
  assert.deepEqual(
    readStrings(table, 'sha256'),
    order.map((i) => i.sha256),
  );
  assert.equal(table.schema.metadata.get('filesSha256'), result.summary['filesSha256']);
});

test('the fingerprint changes when an image changes in place; imageIds and splits select files', async () => {
  const folder = fixtureCopy();
  const before = (await load({ folder })).result.summary['filesSha256'];
  copyFileSync(join(folder, 'train/n02000000_0002.png'), join(folder, 'train/n02000000_0003.png'));
  const after = (await load({ folder })).result.summary['filesSha256'];
  assert.notEqual(after, before);

  const some = await load({ folder, imageIds: ['n09999999_0001', 'n01518878_5958'] });
  assert.deepEqual(stimuliFromTable(some.output.readTable(STIMULI_TABLE), 's').ids, ['n01518878_5958', 'n09999999_0001']);
  const trainOnly = await load({ folder, splits: { train: 'train' } });
  assert.deepEqual(trainOnly.result.summary['test'], 0);
  assert.deepEqual(trainOnly.result.summary['train'], 4);
});

test('params: defaults, strict keys, at least one split, no repeated ids', () => {
  const parsed = spec.params.parse({ folder: 'data/god-images' });
  assert.deepEqual(parsed, { folder: 'data/god-images', size: 64, splits: { train: 'train', test: 'test' } });
  assert.equal(spec.params.safeParse({ folder: 'x', sise: 64 }).success, false);
  assert.equal(spec.params.safeParse({ folder: 'x', splits: { validation: 'val' } }).success, false);
  assert.equal(spec.params.safeParse({ folder: 'x', splits: {} }).success, false);
  assert.equal(spec.params.safeParse({ folder: 'x', imageIds: ['a', 'a'] }).success, false);
  assert.deepEqual(spec.inputs, []);
});

test('missing folder or split subfolder names the path and the param', async () => {
  await rejects({ folder: join(FIXTURE_FOLDER, 'nowhere') }, /folder\/nowhere: stimulus folder does not exist \(params\.folder\)$/);
  await rejects(
    { folder: FIXTURE_FOLDER, splits: { train: 'train', test: 'val' } },
    /folder\/val: the "test" subfolder "val" does not exist \(params\.splits\.test\)$/,
  );
});

test('an undecodable or truncated image names its file', async () => {
  const folder = fixtureCopy();
  writeFileSync(join(folder, 'test/n09999999_0009.jpg'), 'GIF89a not really');
  await rejects({ folder }, /test\/n09999999_0009\.jpg: not a JPEG or PNG image/);
  unlinkSync(join(folder, 'test/n09999999_0009.jpg'));
  const jpegPath = join(folder, 'train/n01518878_5958.JPEG');
  writeFileSync(jpegPath, readFileSync(jpegPath).subarray(0, 300));
  await rejects({ folder }, /train\/n01518878_5958\.JPEG: truncated JPEG: 300 bytes/);
});

test('two files with one image id (different extensions) are refused', async () => {
  const folder = fixtureCopy();
  copyFileSync(join(folder, 'train/n01518878_10042.png'), join(folder, 'train/n01518878_10042.jpg'));
  await rejects(
    { folder },
    /folder\/train: image id "n01518878_10042" has two files, train\/n01518878_10042\.jpg and train\/n01518878_10042\.png: keep one$/,
  );
});

test('one image id in both splits is refused', async () => {
  const folder = fixtureCopy();
  copyFileSync(join(folder, 'train/n01518878_10042.png'), join(folder, 'test/n01518878_10042.png'));
  await rejects({ folder }, /image id "n01518878_10042" is in two splits: train\/n01518878_10042\.png and test\/n01518878_10042\.png$/);
});

test('a requested image id without a file is named', async () => {
  await rejects(
    { folder: FIXTURE_FOLDER, imageIds: ['n01518878_5958', 'n01443537_22563'] },
    /1 of params\.imageIds have no image file in the configured splits: "n01443537_22563"$/,
  );
});

test('an empty split is refused, with a hint when imageIds emptied it', async () => {
  const folder = fixtureCopy();
  rmSync(join(folder, 'test'), { recursive: true });
  mkdirSync(join(folder, 'test'));
  writeFileSync(join(folder, 'test/notes.txt'), 'no images here');
  await rejects({ folder }, /folder\/test: the "test" split is empty: no \.jpg, \.jpeg or \.png files$/);
  await rejects({ folder: FIXTURE_FOLDER, imageIds: ['n01518878_5958'] }, /the "test" split is empty: none of params\.imageIds is there/);
});
