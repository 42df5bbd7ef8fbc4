/**
 * What a stage opens is what was committed (src/store/artifact-input.ts): the manifest is validated and every file
 * is checked against its size and sha256 as it is read; damage is an InputDamagedError that names the file and
 * carries the input's role, consumer, stage kind and key for the workflow. A manifest of a newer format is a
 * clear DataValidationError, not damage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataValidationError, InputDamagedError, type InputDamage } from '../../src/errors/pipeline-errors.js';
import { runner as synthesize } from '../../src/stages/synthesize-b2g/runner.js';
import { spec as synthesizeSpec } from '../../src/stages/synthesize-b2g/spec.js';
import { TINY_WORLD } from '../engine/engine-fixtures.js';
import { runner as train } from '../../src/stages/train/runner.js';
import { spec as trainSpec } from '../../src/stages/train/spec.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { MANIFEST_FILE, MANIFEST_FORMAT_VERSION } from '../../src/store/artifact-manifest.js';
import { ArtifactStore } from '../../src/store/artifact-store.js';
import { buildTable } from '../../src/tables/arrow-tables.js';
import { flipByte } from '../support/damage.js';
import { commitOutput, inputArtifact, stageContext } from '../support/stage-context.js';

const numbers = () => buildTable({ x: { kind: 'float32-vector', width: 2, values: Float32Array.from([1, 2, 3, 4]) } });
const asDataset = { consumer: 'train', role: 'dataset' };

function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void): void {
  const file = path.join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest));
}

/** Asserts an InputDamagedError whose message names `file` and whose details say which input it was. */
function damagedAt(dir: string, file: string, role = 'dataset') {
  return (error: unknown): boolean => {
    assert.ok(error instanceof InputDamagedError, String(error));
    assert.ok(error instanceof DataValidationError, 'bad input: never retried by Temporal');
    assert.ok(error.message.includes(file), error.message);
    const damage: InputDamage = { consumer: 'train', role, stage: path.basename(path.dirname(dir)), key: path.basename(dir), file };
    assert.deepEqual(error.details, damage);
    return true;
  };
}

test('an intact input reads its tables and files', async () => {
  const ctx = stageContext({ params: {} });
  ctx.output.writeTable('numbers', numbers());
  ctx.output.writeFile('weights/pam.json', '{"w":[1]}');
  const input = openArtifactInput((await commitOutput(ctx, 'toy')).dir, asDataset);
  assert.deepEqual(input.tables, ['numbers']);
  assert.equal(input.readTable('numbers').numRows, 2);
  assert.equal(Buffer.from(input.readFile('weights/pam.json')).toString(), '{"w":[1]}');
  assert.throws(() => input.readFile('../manifest.json'), /has no file "\.\.\/manifest\.json"/);
});

test('a byte flipped after commit is caught when the table is read, naming the file', async () => {
  const { dir } = await inputArtifact('toy', { numbers: numbers() });
  const input = openArtifactInput(dir, asDataset);
  const file = path.join(dir, 'numbers.arrow');
  flipByte(file);
  assert.throws(() => input.readTable('numbers'), damagedAt(dir, file));
});

test('a truncated, a deleted and an altered non-table file are damage too', async () => {
  const ctx = stageContext({ params: {} });
  ctx.output.writeTable('a', numbers());
  ctx.output.writeTable('b', numbers());
  ctx.output.writeFile('notes.txt', 'hello');
  const { dir } = await commitOutput(ctx, 'toy');
  const input = openArtifactInput(dir, asDataset);
  truncateSync(path.join(dir, 'a.arrow'), 10);
  assert.throws(() => input.readTable('a'), damagedAt(dir, path.join(dir, 'a.arrow')));
  rmSync(path.join(dir, 'b.arrow'));
  assert.throws(() => input.readTable('b'), damagedAt(dir, path.join(dir, 'b.arrow')));
  writeFileSync(path.join(dir, 'notes.txt'), 'HELLO');
  assert.throws(() => input.readFile('notes.txt'), damagedAt(dir, path.join(dir, 'notes.txt')));
});

test('a vanished artifact, an unparsable manifest and an invalid one are damage of the manifest', async () => {
  const manifestOf = (dir: string) => path.join(dir, MANIFEST_FILE);
  const gone = await inputArtifact('toy', { numbers: numbers() });
  rmSync(gone.dir, { recursive: true });
  assert.throws(() => openArtifactInput(gone.dir, asDataset), damagedAt(gone.dir, manifestOf(gone.dir)));

  const garbled = await inputArtifact('toy', { numbers: numbers() });
  writeFileSync(manifestOf(garbled.dir), '{"formatVersion": 1, "stage": ');
  assert.throws(() => openArtifactInput(garbled.dir, asDataset), damagedAt(garbled.dir, manifestOf(garbled.dir)));

  const escaping = await inputArtifact('toy', { numbers: numbers() });
  editManifest(escaping.dir, (m) => {
    (m['files'] as { path: string }[])[0]!.path = '../../elsewhere.arrow';
  });
  assert.throws(
    () => openArtifactInput(escaping.dir, asDataset),
    (error: Error) => {
      damagedAt(escaping.dir, manifestOf(escaping.dir))(error);
      return /files\.0\.path: a relative "\/"-separated path inside the artifact folder/.test(error.message);
    },
  );
  const store = new ArtifactStore(path.resolve(escaping.dir, '../../..'));
  const verdict = await store.verify('toy', escaping.key);
  assert.equal(verdict.status, 'corrupt', 'the cache lookup quarantines it rather than hashing a file outside');
  assert.throws(() => store.readManifest('toy', escaping.key), DataValidationError);
});

test('a manifest of a newer format is refused with a clear error, and not quarantined as damaged', async () => {
  const { dir, key } = await inputArtifact('toy', { numbers: numbers() });
  editManifest(dir, (m) => {
    m['formatVersion'] = MANIFEST_FORMAT_VERSION + 1;
  });
  const newer = new RegExp(`manifest format ${MANIFEST_FORMAT_VERSION + 1} was written by a newer pam-pipeline`);
  assert.throws(
    () => openArtifactInput(dir, asDataset),
    (error: Error) => error instanceof DataValidationError && !(error instanceof InputDamagedError) && newer.test(error.message),
  );
  const store = new ArtifactStore(path.resolve(dir, '../../..'));
  await assert.rejects(store.verify('toy', key), newer);
  assert.throws(() => store.readManifest('toy', key), newer);
  editManifest(dir, (m) => {
    m['formatVersion'] = 0;
  });
  assert.equal((await store.verify('toy', key)).status, 'corrupt', 'an unknown older version is damage');
});

test('a stage whose input is damaged between commit and its open fails with InputDamagedError naming the file', async () => {
  const world = stageContext({
    params: synthesizeSpec.params.parse(TINY_WORLD),
    seed: 1,
  });
  const { dir } = await commitOutput(world, 'synthesize-b2g', (await synthesize.run(world)).summary);
  const testTable = path.join(dir, 'test.arrow');
  flipByte(testTable);
  const ctx = stageContext({
    params: trainSpec.params.parse({ decoders: { baseline: { epochs: 1 } } }),
    inputs: { dataset: openArtifactInput(dir, asDataset) },
  });
  await assert.rejects(train.run(ctx), damagedAt(dir, testTable));
});
