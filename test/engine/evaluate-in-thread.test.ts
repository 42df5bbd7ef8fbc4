import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactStore, StagingArtifact, cacheKey, localProducer } from '../../src/store/artifact-store.js';
import { buildTable, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { runStageInThread } from '../../src/engine/run-stage-in-thread.js';
import type { StageProgress } from '../../src/stages/stage-definition.js';

async function commit(store: ArtifactStore, stage: string, tables: Record<string, ReturnType<typeof buildTable>>) {
  const parts = { stage, codeVersion: '1', params: {}, inputKeys: {}, seed: 0 };
  const staging = store.createStaging(stage, cacheKey(parts));
  for (const [name, table] of Object.entries(tables)) staging.writeTable(name, table);
  return store.commit(staging, { keyParts: parts, inputs: {}, summary: {}, startedAt: new Date(), producer: localProducer() });
}

/** Run `evaluate` in a compute thread on the given input artifact folders. */
function evaluateInThread(
  store: ArtifactStore,
  inputDirs: Record<string, string>,
  onProgress: (p: StageProgress) => void = () => undefined,
) {
  return runStageInThread(
    {
      kind: 'evaluate',
      mode: 'run',
      params: { referenceDecoder: 'baseline' },
      seed: 0,
      inputDirs,
      stagingDir: path.join(store.root, 'staging'),
      partialDir: path.join(store.root, 'partial'),
      resumeToken: undefined,
      backend: 'cpu',
      dataCacheDir: path.join(store.root, 'cache'),
      shard: null,
    },
    { onProgress, onLog: () => undefined },
  );
}

test('the evaluate stage runs in a compute thread: cosine per item, mean ± SE, paired t-test vs the reference', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-engine-')));
  const truth = Float32Array.from([1, 0, 0, 1, 1, 1]);
  const dataset = await commit(store, 'data', {
    test: buildTable({ item_id: { kind: 'utf8', values: ['a', 'b', 'c'] }, latent: { kind: 'float32-vector', width: 2, values: truth } }),
  });
  // "good" predicts b, a, c in shuffled row order; "baseline" is worse on every item.
  const predictions = await commit(store, 'train', {
    predictions: buildTable({
      decoder: { kind: 'utf8', values: ['baseline', 'baseline', 'baseline', 'good', 'good', 'good'] },
      item_id: { kind: 'utf8', values: ['a', 'b', 'c', 'b', 'a', 'c'] },
      latent: { kind: 'float32-vector', width: 2, values: Float32Array.from([1, 1, 1, 0.2, 1, -0.2, 0.1, 1, 1, 0.1, 1, 0.9]) },
    }),
  });
  const progress: StageProgress[] = [];
  const result = await evaluateInThread(store, { dataset: dataset.dir, predictions: predictions.dir }, (p) => progress.push(p));
  const staging = new StagingArtifact(path.join(store.root, 'staging'));
  assert.equal(result.summary['testItems'], 3);
  assert.ok(progress.at(-1)!.fraction === 1);
  const committed = await store.commit(staging, {
    keyParts: { stage: 'evaluate', codeVersion: '1', params: {}, inputKeys: {}, seed: 0 },
    inputs: {},
    summary: result.summary,
    startedAt: new Date(),
    producer: localProducer(),
  });
  const results = openArtifactInput(committed.dir).readTable('results');
  assert.deepEqual(readStrings(results, 'decoder'), ['baseline', 'good']);
  const means = readNumbers(results, 'mean');
  // cos(a=(1,0),(1,1))=0.7071, cos(b=(0,1),(1,.2))=0.1961, cos(c=(1,1),(1,-.2))=0.5547 → mean 0.4860
  assert.ok(Math.abs(means[0]! - (Math.SQRT1_2 + 0.19611614 + 0.5547002) / 3) < 1e-6);
  assert.ok(means[1]! > 0.98);
  const p = readNumbers(results, 'p_vs_reference');
  assert.ok(Number.isNaN(p[0]!));
  assert.ok(p[1]! > 0 && p[1]! < 0.2);
});

test('a stage error crosses the thread boundary with its class name', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-engine-')));
  const dataset = await commit(store, 'data', { test: buildTable({ item_id: { kind: 'utf8', values: ['a'] } }) });
  await assert.rejects(
    evaluateInThread(store, { dataset: dataset.dir, predictions: dataset.dir }),
    (error: Error) =>
      error.name === 'DataValidationError' && /artifact of stage data has no table "predictions" \(has: test\)/.test(error.message),
  );
  assert.equal(openArtifactInput(dataset.dir).tables.length, 1);
});

test('a test set without latents and no generator is refused: there is nothing to score', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-engine-')));
  const dataset = await commit(store, 'data', { test: buildTable({ item_id: { kind: 'utf8', values: ['a'] } }) });
  const predictions = await commit(store, 'train', {
    predictions: buildTable({
      decoder: { kind: 'utf8', values: ['baseline'] },
      item_id: { kind: 'utf8', values: ['a'] },
      latent: { kind: 'float32-vector', width: 2, values: Float32Array.from([1, 0]) },
    }),
  });
  await assert.rejects(
    evaluateInThread(store, { dataset: dataset.dir, predictions: predictions.dir }),
    /test\.arrow: the test set has no "latent" column and no generator is configured/,
  );
});
