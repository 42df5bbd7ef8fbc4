/**
 * Damaged training checkpoints: a run whose newest checkpoint was altered on disk resumes from the previous intact
 * one (or starts over when both are damaged), says so in its log, progress line and summary, and still ends with
 * the model of an uninterrupted run. Checkpoint layout: src/training/checkpoint.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_MANIFEST } from '../../src/store/checkpoint-dir.js';
import { spec } from '../../src/stages/train/spec.js';
import { runner } from '../../src/stages/train/runner.js';
import { readFloat32Matrix } from '../../src/tables/arrow-tables.js';
import { loadTrainingCheckpoint } from '../../src/training/checkpoint.js';
import { datasetInput, tinyDataset } from '../support/dataset-tables.js';
import { stageContext, writtenTable } from '../support/stage-context.js';

const dataset = tinyDataset(2, { train: 80, test: 8, latentDim: 6 }, [
  { name: 'V1', units: 10, signal: 1 },
  { name: 'V4', units: 6, signal: 1 },
  { name: 'IT', units: 6, signal: 2 },
]);
const BASELINE = { baseline: { epochs: 6 } };

function weightsOf(outDir: string, decoder: string): Float32Array {
  const bytes = readFileSync(join(outDir, 'weights', decoder, 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Flip the top exponent bit of the float32 at `index` of a checkpoint's tensors (valid bytes, wrong number). */
function flipExponent(checkpoint: string, index = 3): void {
  const file = join(checkpoint, 'tensors.bin');
  const bytes = readFileSync(file);
  bytes[4 * index + 3]! ^= 0x40;
  writeFileSync(file, bytes);
}

/** Rewrite a checkpoint's manifest to match its files as they are now, so only the content checks can object. */
function resign(checkpoint: string): void {
  const manifestFile = join(checkpoint, CHECKPOINT_MANIFEST);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: { path: string; bytes: number; sha256: string }[] };
  for (const entry of manifest.files) {
    const bytes = readFileSync(join(checkpoint, entry.path));
    entry.bytes = bytes.length;
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  }
  writeFileSync(manifestFile, JSON.stringify(manifest));
}

function editState(checkpoint: string, from: string, to: string): void {
  const file = join(checkpoint, 'state.json');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} holds ${from}`);
  writeFileSync(file, text.replace(from, to));
}

/**
 * Train straight (each decoder leaves its epoch-4 and epoch-6 checkpoints in partialDir, as a run killed before
 * its commit does), damage them, train again in the same partialDir, and check the result equals the straight one.
 */
async function resumeAfterDamage(decoders: Record<string, unknown>, parallel: boolean, damage: (partialDir: string) => void) {
  const params = spec.params.parse({ decoders, checkpointEveryEpochs: 2, parallel });
  const inputs = { dataset: await datasetInput(dataset) };
  const straight = stageContext({ params, seed: 7, backend: 'wasm', inputs });
  await runner.run(straight);
  damage(straight.partialDir);
  const resumed = stageContext({ params, seed: 7, backend: 'wasm', inputs, partialDir: straight.partialDir });
  const { summary } = await runner.run(resumed);
  for (const name of Object.keys(decoders)) {
    assert.equal(summary[`${name}.epochsRun`], 6);
    const a = weightsOf(straight.output.dir, name);
    const b = weightsOf(resumed.output.dir, name);
    const maxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    assert.ok(maxDiff <= 1e-6, `${name}: resumed weights differ by ${maxDiff}`);
  }
  assert.deepEqual(
    readFloat32Matrix(writtenTable(resumed, 'predictions'), 'latent').values,
    readFloat32Matrix(writtenTable(straight, 'predictions'), 'latent').values,
  );
  return { summary, resumed };
}

/** The damage line was logged, shown as a progress message and kept in the summary. */
function assertReported(run: Awaited<ReturnType<typeof resumeAfterDamage>>, decoder: string, line: RegExp): void {
  const kept = run.summary[`${decoder}.checkpointDamage`];
  assert.match(String(kept), line);
  assert.ok(run.resumed.logs.includes(`${decoder}: ${kept}`), run.resumed.logs.join('\n'));
  assert.ok(run.resumed.progressReports.some((p) => p.message === `${decoder}: ${kept}`));
}

test('PAM in a worker thread: a flipped exponent byte in its newest checkpoint → resumes from the previous one, equal result', async () => {
  const decoders = { ...BASELINE, pam: { epochs: 6, width: 8, embeddingBlocks: 2 } };
  const run = await resumeAfterDamage(decoders, true, (partialDir) => flipExponent(join(partialDir, 'pam', 'epoch-6')));
  assert.equal(run.summary['pam.resumedFromEpoch'], 4);
  assert.equal(run.summary['baseline.resumedFromEpoch'], 6, 'the intact decoder resumes from its newest');
  assert.equal(run.summary['baseline.checkpointDamage'], undefined);
  assertReported(run, 'pam', /^checkpoint epoch 6 damaged \(tensors\.bin sha256 mismatch\); resuming from epoch 4$/);
});

test('both checkpoints damaged → starts over from epoch 0, equal result', async () => {
  const run = await resumeAfterDamage(BASELINE, false, (partialDir) => {
    flipExponent(join(partialDir, 'baseline', 'epoch-6'));
    rmSync(join(partialDir, 'baseline', 'epoch-4', CHECKPOINT_MANIFEST));
  });
  assert.equal(run.summary['baseline.resumedFromEpoch'], 0);
  assertReported(
    run,
    'baseline',
    /^checkpoint epoch 6 damaged \(tensors\.bin sha256 mismatch\); checkpoint epoch 4 damaged \(incomplete: no checkpoint\.json\); starting over$/,
  );
});

test('a valid-JSON edit of the "epoch" key is detected, also behind a re-signed manifest', async () => {
  const run = await resumeAfterDamage(BASELINE, false, (partialDir) => {
    const newest = join(partialDir, 'baseline', 'epoch-6');
    editState(newest, '"epoch":6', '"epocH":6');
    // What the header check alone sees: no digest to catch it.
    const damaged = join(partialDir, 'baseline', 'epoch-4');
    editState(damaged, '"epoch":4', '"epoch":8');
    resign(damaged);
  });
  assert.equal(run.summary['baseline.resumedFromEpoch'], 0);
  assertReported(
    run,
    'baseline',
    /^checkpoint epoch 6 damaged \(state\.json sha256 mismatch\); checkpoint epoch 4 damaged \(state\.json says epoch 8\); starting over$/,
  );
});

test('header validation: an unknown or missing key behind a re-signed manifest is damage, not a SyntaxError', async () => {
  const params = spec.params.parse({ decoders: BASELINE, checkpointEveryEpochs: 2 });
  const straight = stageContext({ params, seed: 7, backend: 'wasm', inputs: { dataset: await datasetInput(dataset) } });
  await runner.run(straight);
  const dir = join(straight.partialDir, 'baseline');
  editState(join(dir, 'epoch-6'), '"epoch":6', '"epocH":6');
  resign(join(dir, 'epoch-6'));
  editState(join(dir, 'epoch-4'), '"rngState":[', '"rngState":[-');
  resign(join(dir, 'epoch-4'));
  const { checkpoint, damage } = loadTrainingCheckpoint(dir);
  assert.equal(checkpoint, null);
  assert.match(
    damage!,
    /^checkpoint epoch 6 damaged \(state\.json: epoch: Required\); checkpoint epoch 4 damaged \(state\.json: rngState\.0: /,
  );
});

test('a truncated manifest is detected and the previous checkpoint used, equal result', async () => {
  const run = await resumeAfterDamage(BASELINE, false, (partialDir) => {
    const manifest = join(partialDir, 'baseline', 'epoch-6', CHECKPOINT_MANIFEST);
    truncateSync(manifest, readFileSync(manifest).length - 3);
  });
  assert.equal(run.summary['baseline.resumedFromEpoch'], 4);
  assertReported(run, 'baseline', /^checkpoint epoch 6 damaged \(checkpoint\.json is not JSON\); resuming from epoch 4$/);
});
