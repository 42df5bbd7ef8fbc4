import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spec } from '../../src/stages/train/spec.js';
import { runner } from '../../src/stages/train/runner.js';
import { readFloat32Matrix, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { loadDecoderWeights } from '../../src/models/weights-format.js';
import { predict } from '../../src/training/predict.js';
import { ConfigError, DataValidationError } from '../../src/errors/pipeline-errors.js';
import { datasetInput, tinyDataset } from '../support/dataset-tables.js';
import { stageContext, writtenTable } from '../support/stage-context.js';

const dataset = tinyDataset(1, { train: 96, test: 10, latentDim: 6 }, [
  { name: 'V1', units: 12, signal: 1 },
  { name: 'IT', units: 8, signal: 2 },
]);

test('train stage (baseline only) writes predictions, loss curve and reloadable weights', async () => {
  const params = spec.params.parse({ decoders: { baseline: { epochs: 4 } }, checkpointEveryEpochs: 2 });
  const run = stageContext({ params, seed: 7, backend: 'wasm', inputs: { dataset: await datasetInput(dataset) } });
  const { summary } = await runner.run(run);
  assert.equal(summary.backend, 'wasm');
  assert.equal(summary['baseline.epochsRun'], 4);
  assert.equal(summary['baseline.resumedFromEpoch'], 0);

  const predictions = writtenTable(run, 'predictions');
  assert.deepEqual(readStrings(predictions, 'decoder'), Array(10).fill('baseline'));
  assert.deepEqual(readStrings(predictions, 'item_id'), readStrings(dataset.test, 'item_id'));
  const latent = readFloat32Matrix(predictions, 'latent');
  assert.equal(latent.width, 6);
  assert.ok(
    latent.values.every((v) => v >= 0),
    'the baseline ends in a ReLU',
  );

  const curve = writtenTable(run, 'loss-curve');
  assert.deepEqual([...readNumbers(curve, 'epoch')], [1, 2, 3, 4]);
  const losses = readNumbers(curve, 'loss');
  assert.ok(losses[3]! < losses[0]!, `loss should fall: ${losses}`);
  assert.equal(summary['baseline.finalLoss'], losses[3]);

  // Weights reload through tf.io.fromMemory and reproduce the predictions.
  const dir = join(run.output.dir, 'weights/baseline');
  const decoder = await loadDecoderWeights(
    { modelJson: readFileSync(join(dir, 'model.json'), 'utf8'), weightsBin: readFileSync(join(dir, 'weights.bin')) },
    dir,
  );
  const test = readFloat32Matrix(dataset.test, 'area:V1');
  const it = readFloat32Matrix(dataset.test, 'area:IT');
  const joined = new Float32Array(10 * 20);
  for (let r = 0; r < 10; r++) {
    joined.set(test.values.subarray(r * 12, r * 12 + 12), r * 20);
    joined.set(it.values.subarray(r * 8, r * 8 + 8), r * 20 + 12);
  }
  const again = predict(decoder, { blocks: [joined], widths: [20], rows: 10 });
  assert.deepEqual(again.latent, latent.values);
  decoder.dispose();
  // Progress reported every epoch with the checkpointed epoch as resume token.
  const epochs = run.progressReports.filter((p) => p.message.startsWith('baseline epoch'));
  assert.equal(epochs.length, 4);
  assert.deepEqual(epochs[1]!.checkpoint, { baseline: 2 });
});

test('train stage is deterministic for a seed and differs across seeds', async () => {
  const params = spec.params.parse({ decoders: { baseline: { epochs: 2 } } });
  const latents = [];
  const inputs = { dataset: await datasetInput(dataset) };
  for (const seed of [3, 3, 4]) {
    const run = stageContext({ params, seed, backend: 'wasm', inputs });
    await runner.run(run);
    latents.push(readFloat32Matrix(writtenTable(run, 'predictions'), 'latent').values);
  }
  assert.deepEqual(latents[0], latents[1]);
  assert.notDeepEqual(latents[0], latents[2]);
});

test('train stage rejects an unknown area and unknown params', async () => {
  const run = stageContext({
    params: spec.params.parse({ decoders: { baseline: { epochs: 1, areas: ['V1', 'V9'] } } }),
    seed: 7,
    backend: 'wasm',
    inputs: { dataset: await datasetInput(dataset) },
  });
  await assert.rejects(runner.run(run), (e: Error) => e instanceof ConfigError && /unknown area "V9".*V1, IT/.test(e.message));
  assert.throws(() => spec.params.parse({ decoders: { baseline: { epochs: 1, lr: 0.1 } } }), /lr/);
  const v1Only = tinyDataset(1, { train: 4, test: 4, latentDim: 6 }, [{ name: 'V1', units: 12, signal: 1 }]);
  const mismatched = stageContext({
    params: spec.params.parse({ decoders: { baseline: { epochs: 1 } } }),
    seed: 7,
    backend: 'wasm',
    inputs: { dataset: await datasetInput({ ...dataset, test: v1Only.test }) },
  });
  await assert.rejects(
    runner.run(mismatched),
    (e: Error) => e instanceof DataValidationError && /test\.arrow: area "IT" has no units/.test(e.message),
  );
  assert.throws(() => spec.params.parse({ decoders: {} }), /at least one decoder/);
});
