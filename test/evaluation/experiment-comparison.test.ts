/** `pam compare`'s table (src/evaluation/experiment-comparison.ts): rows, best per row, differing params. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareExperiments, flattenConfig } from '../../src/evaluation/experiment-comparison.js';
import type { ResultRow } from '../../src/evaluation/results-table.js';

const row = (decoder: string, metric: string, mean: number): ResultRow => ({
  decoder,
  metric,
  mean,
  se: 0.01,
  n: 32,
  pVsReference: Number.NaN,
});
const config = (seed: number, epochs: number, extra: Record<string, unknown> = {}) => ({
  experiment: `run-${seed}`,
  seed,
  runtime: { backend: 'auto', attempts: 2 },
  stages: [
    { id: 'data', uses: 'synthesize-b2g', seed, params: { areas: ['V1', 'IT'] } },
    { id: 'train', uses: 'train', seed, params: { decoders: { pam: { epochs } }, ...extra } },
  ],
});

test('config leaves flatten to key paths; stages are keyed by id, plain lists stay one value', () => {
  const leaves = flattenConfig(config(3, 2));
  assert.equal(leaves.get('stages.train.params.decoders.pam.epochs'), '2');
  assert.equal(leaves.get('stages.data.params.areas'), '["V1","IT"]');
  assert.equal(leaves.get('runtime.backend'), '"auto"');
  assert.ok(!leaves.has('stages.train.id'));
});

test('rows are metric × decoder with a cell per experiment, the best marked; the differing params are listed', () => {
  const comparison = compareExperiments([
    {
      name: 'a',
      config: config(3, 2),
      results: [row('baseline', 'latent-cosine', 0.4), row('pam', 'latent-cosine', 0.5), row('pam', 'lpips', 2)],
    },
    { name: 'b', config: config(4, 5, { parallel: false }), results: [row('pam', 'latent-cosine', 0.6), row('pam', 'lpips', 2.5)] },
  ]);
  assert.deepEqual(comparison.experiments, ['a', 'b']);
  assert.deepEqual(
    comparison.rows.map((r) => [r.metric, r.better, r.decoder, r.cells.map((c) => c?.mean ?? null), r.best]),
    [
      ['latent-cosine', 'higher', 'baseline', [0.4, null], null],
      ['latent-cosine', 'higher', 'pam', [0.5, 0.6], 1],
      ['lpips', 'lower', 'pam', [2, 2.5], 0],
    ],
  );
  assert.deepEqual(comparison.params, [
    { path: 'seed', values: ['3', '4'] },
    { path: 'stages.data.seed', values: ['3', '4'] },
    { path: 'stages.train.seed', values: ['3', '4'] },
    { path: 'stages.train.params.decoders.pam.epochs', values: ['2', '5'] },
    { path: 'stages.train.params.parallel', values: [undefined, 'false'] },
  ]);
});
