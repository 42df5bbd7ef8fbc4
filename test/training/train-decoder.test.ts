import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { ModelLoadError } from '../../src/errors/pipeline-errors.js';
import type { DecoderArchitecture } from '../../src/models/decoder.js';
import { Rng } from '../../src/random/rng.js';
import { loadTrainingCheckpoint } from '../../src/training/checkpoint.js';
import { trainDecoder, type TrainingOptions } from '../../src/training/train-decoder.js';
import { batchesOf } from '../../src/training/training-data.js';

const rng = new Rng(4);
const rows = 60;
// Pure-noise targets: validation loss cannot keep improving, so early stopping must trigger.
const data = { blocks: [rng.normals(rows * 10)], widths: [10], targets: rng.normals(rows * 3), latentDim: 3, rows };
const architecture: DecoderArchitecture = { kind: 'baseline', inputUnits: 10, latentDim: 3 };
const options: TrainingOptions = {
  epochs: 200,
  batchSize: 8,
  learningRate: 1e-2,
  seed: 1,
  validationFraction: 0.25,
  patience: 3,
  checkpointEveryEpochs: 5,
  checkpointDir: null,
};

test('early stopping ends training after `patience` epochs without validation improvement', async () => {
  await initTensorBackend('wasm', () => {});
  const result = await trainDecoder(architecture, data, options);
  assert.ok(result.stoppedEarly);
  assert.ok(result.epochsRun < 200);
  const curve = result.validationLossCurve;
  const best = Math.min(...curve);
  assert.equal(curve.length - 1 - curve.indexOf(best), 3, 'stopped exactly `patience` epochs after the best');
  result.decoder.dispose();
});

test('checkpoints record the last epoch; other settings are refused, a corrupt file is passed over with the file named', async () => {
  await initTensorBackend('wasm', () => {});
  const dir = mkdtempSync(join(tmpdir(), 'pam-ckpt-'));
  const short = { ...options, epochs: 7, validationFraction: 0, checkpointDir: dir };
  (await trainDecoder(architecture, data, short)).decoder.dispose();
  const { checkpoint } = loadTrainingCheckpoint(dir);
  assert.ok(checkpoint);
  assert.equal(checkpoint.epoch, 7, 'the final epoch is always checkpointed');
  assert.equal(checkpoint.lossCurve.length, 7);
  await assert.rejects(
    trainDecoder(architecture, data, { ...short, learningRate: 0.5 }),
    (e: Error) => e instanceof ModelLoadError && e.message.includes(dir),
  );
  writeFileSync(join(dir, 'epoch-7', 'state.json'), 'garbage');
  const fallback = loadTrainingCheckpoint(dir);
  assert.equal(fallback.checkpoint?.epoch, 5, 'the previous checkpoint is kept for this');
  assert.match(fallback.damage!, /^checkpoint epoch 7 damaged \(state\.json has 7 bytes, \d+ listed\); resuming from epoch 5$/);
});

test('batches cover every row once and drop only a trailing single row', () => {
  const order = Int32Array.from({ length: 17 }, (_, i) => i);
  assert.deepEqual(
    batchesOf(order, 8).map((b) => b.length),
    [8, 8],
  );
  assert.deepEqual(
    batchesOf(order.subarray(0, 18 - 2), 8).map((b) => b.length),
    [8, 8],
  );
  assert.deepEqual(
    batchesOf(
      Int32Array.from({ length: 10 }, (_, i) => i),
      8,
    ).map((b) => b.length),
    [8, 2],
  );
});
