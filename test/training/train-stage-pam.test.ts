import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spec } from '../../src/stages/train/spec.js';
import { runner } from '../../src/stages/train/runner.js';
import { readFloat32Matrix, readJsonMetadata, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { fakeContext, tinyDataset } from './stage-harness.js';

const dataset = tinyDataset(3, { train: 64, test: 6, latentDim: 5 }, [
  { name: 'V1', units: 9, signal: 1 },
  { name: 'V4', units: 7, signal: 1 },
  { name: 'IT', units: 6, signal: 2 },
]);
const decoders = { baseline: { epochs: 2 }, pam: { epochs: 2, width: 8, embeddingBlocks: 2, areas: ['IT', 'V1', 'V4'] } };

test('train stage with both decoders in worker threads writes PAM attention, values, keys and queries', async () => {
  const run = fakeContext(spec.params.parse({ decoders, parallel: true }), dataset);
  const { summary } = await runner.run(run.ctx);
  assert.equal(summary.threads, 2);
  assert.equal(summary.backend, 'wasm');

  const predictions = run.readOutput('predictions');
  assert.deepEqual(readStrings(predictions, 'decoder'), [...Array(6).fill('baseline'), ...Array(6).fill('pam')]);
  assert.equal(readFloat32Matrix(predictions, 'latent').rows, 12);

  const attention = run.readOutput('attention');
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
  const values = readFloat32Matrix(run.readOutput('values'), 'value');
  const pamLatent = readFloat32Matrix(predictions, 'latent').values.subarray(30);
  for (let item = 0; item < 6; item++) {
    for (let j = 0; j < 5; j++) {
      let z = 0;
      for (let area = 0; area < 3; area++) z += weights.values[(item * 3 + area) * 5 + j]! * values.values[(item * 3 + area) * 5 + j]!;
      assert.ok(Math.abs(z - pamLatent[item * 5 + j]!) < 1e-5);
    }
  }
  assert.equal(readFloat32Matrix(run.readOutput('keys'), 'key').width, 8);
  const queries = run.readOutput('queries');
  assert.deepEqual([...readNumbers(queries, 'latent_dim')], [0, 1, 2, 3, 4]);
  assert.equal(readFloat32Matrix(queries, 'query').width, 8);
  assert.deepEqual(readStrings(run.readOutput('loss-curve'), 'decoder'), ['baseline', 'baseline', 'pam', 'pam']);
  assert.ok(run.progress.some((p) => p.message.startsWith('pam epoch 2/2')));
  assert.deepEqual(run.progress.at(-1)!.checkpoint, { baseline: 2, pam: 2 });
});

test('worker-thread and in-thread training give identical results', async () => {
  const outputs = [];
  for (const parallel of [true, false]) {
    const run = fakeContext(spec.params.parse({ decoders, parallel }), dataset);
    await runner.run(run.ctx);
    outputs.push([
      readFloat32Matrix(run.readOutput('predictions'), 'latent').values,
      readFloat32Matrix(run.readOutput('attention'), 'weights').values,
    ]);
  }
  assert.deepEqual(outputs[0], outputs[1]);
});
