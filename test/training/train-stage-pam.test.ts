import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spec } from '../../src/stages/train/spec.js';
import { runner } from '../../src/stages/train/runner.js';
import { readFloat32Matrix, readJsonMetadata, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { datasetInput, tinyDataset } from '../support/dataset-tables.js';
import { stageContext, writtenTable } from '../support/stage-context.js';

const dataset = tinyDataset(3, { train: 64, test: 6, latentDim: 5 }, [
  { name: 'V1', units: 9, signal: 1 },
  { name: 'V4', units: 7, signal: 1 },
  { name: 'IT', units: 6, signal: 2 },
]);
const decoders = { baseline: { epochs: 2 }, pam: { epochs: 2, width: 8, embeddingBlocks: 2, areas: ['IT', 'V1', 'V4'] } };

test('train stage with both decoders in worker threads writes PAM attention, values, keys and queries', async () => {
  const run = stageContext({
    params: spec.params.parse({ decoders, parallel: true }),
    seed: 7,
    backend: 'wasm',
    inputs: { dataset: await datasetInput(dataset) },
  });
  const { summary } = await runner.run(run);
  assert.equal(summary.threads, 2);
  assert.equal(summary.backend, 'wasm');

  const predictions = writtenTable(run, 'predictions');
  assert.deepEqual(readStrings(predictions, 'decoder'), [...Array(6).fill('baseline'), ...Array(6).fill('pam')]);
  assert.equal(readFloat32Matrix(predictions, 'latent').rows, 12);

  const attention = writtenTable(run, 'attention');
  assert.deepEqual(readJsonMetadata(attention, 'areas'), ['IT', 'V1', 'V4']);
  assert.deepEqual(readStrings(attention, 'area').slice(0, 4), ['IT', 'V1', 'V4', 'IT']);
  assert.deepEqual(readStrings(attention, 'item_id').slice(0, 4), ['test-0', 'test-0', 'test-0', 'test-1']);
  const weights = readFloat32Matrix(attention, 'weights');
  assert.equal(weights.rows, 18);
  assert.equal(weights.width, 5);
  // Softmax over areas: for every item and latent dim the three areas' weights sum to 1.
  for (let item = 0; item < 6; item++) {
    for (let j = 0; j < 5; j++) {
      let sum = 0;
      for (let area = 0; area < 3; area++) sum += weights.values[(item * 3 + area) * 5 + j]!;
      assert.ok(Math.abs(sum - 1) < 1e-5, `item ${item} dim ${j}: attention sums to ${sum}`);
    }
  }
  // z = Σ_areas a ⊙ v reproduces PAM's predictions.
  const values = readFloat32Matrix(writtenTable(run, 'values'), 'value');
  const pamLatent = readFloat32Matrix(predictions, 'latent').values.subarray(30);
  for (let item = 0; item < 6; item++) {
    for (let j = 0; j < 5; j++) {
      let z = 0;
      for (let area = 0; area < 3; area++) z += weights.values[(item * 3 + area) * 5 + j]! * values.values[(item * 3 + area) * 5 + j]!;
      assert.ok(Math.abs(z - pamLatent[item * 5 + j]!) < 1e-5);
    }
  }
  assert.equal(readFloat32Matrix(writtenTable(run, 'keys'), 'key').width, 8);
  const queries = writtenTable(run, 'queries');
  assert.deepEqual([...readNumbers(queries, 'latent_dim')], [0, 1, 2, 3, 4]);
  assert.equal(readFloat32Matrix(queries, 'query').width, 8);
  assert.deepEqual(readStrings(writtenTable(run, 'loss-curve'), 'decoder'), ['baseline', 'baseline', 'pam', 'pam']);
  assert.ok(run.progressReports.some((p) => p.message.startsWith('pam epoch 2/2')));
  // One part per decoder, so the CLI shows a line each instead of interleaving their messages.
  const epoch = run.progressReports.find((p) => p.message.startsWith('pam epoch 1/2'))!;
  assert.deepEqual(Object.keys(epoch.parts ?? {}), ['baseline', 'pam']);
  assert.match(epoch.parts!['pam']!.message, /^epoch 1\/2 loss \d\.\d{4}$/);
  assert.equal(epoch.parts!['pam']!.fraction, 0.5);
  assert.deepEqual(run.progressReports.at(-1)!.checkpoint, { baseline: 2, pam: 2 });
});

test('worker-thread and in-thread training give identical results', async () => {
  const outputs = [];
  const inputs = { dataset: await datasetInput(dataset) };
  for (const parallel of [true, false]) {
    const run = stageContext({ params: spec.params.parse({ decoders, parallel }), seed: 7, backend: 'wasm', inputs });
    await runner.run(run);
    outputs.push([
      readFloat32Matrix(writtenTable(run, 'predictions'), 'latent').values,
      readFloat32Matrix(writtenTable(run, 'attention'), 'weights').values,
    ]);
  }
  assert.deepEqual(outputs[0], outputs[1]);
});
