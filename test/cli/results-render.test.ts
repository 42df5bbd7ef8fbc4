/** The results table as `pam status` prints it (src/cli/tables-report.ts, src/evaluation/results-order.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderResults } from '../../src/cli/tables-report.js';
import { bestDecoderPerMetric, orderResults } from '../../src/evaluation/results-order.js';
import type { ResultRow } from '../../src/evaluation/results-table.js';

const row = (decoder: string, metric: string, mean: number, p = Number.NaN): ResultRow => ({
  decoder,
  metric,
  mean,
  se: 0.01,
  n: 200,
  pVsReference: p,
});
/** As the evaluate stage writes it: decoder-major. */
const ROWS = [
  row('baseline', 'latent-cosine', 0.43),
  row('baseline', 'lpips', 2.2),
  row('baseline', 'vgg-2/16', 0.58),
  row('pam', 'latent-cosine', 0.57, 1e-124),
  row('pam', 'lpips', 1.89, 1e-26),
  row('pam', 'vgg-2/16', 0.5, 0.2),
];

test('rows are ordered metric → decoder, each in first-appearance order', () => {
  assert.deepEqual(
    orderResults(ROWS).map((r) => `${r.metric}/${r.decoder}`),
    ['latent-cosine/baseline', 'latent-cosine/pam', 'lpips/baseline', 'lpips/pam', 'vgg-2/16/baseline', 'vgg-2/16/pam'],
  );
});

test('the best decoder follows each metric direction; a metric with one decoder has none', () => {
  const best = bestDecoderPerMetric([...ROWS, row('pam', 'vgg-13/16', 0.7)]);
  assert.deepEqual(Object.fromEntries(best), { 'latent-cosine': 'pam', lpips: 'pam', 'vgg-2/16': 'baseline' });
});

test('the rendered table says which way is better and marks the best row of each metric', () => {
  const lines = renderResults(ROWS).split('\n');
  assert.match(lines[0]!, /^metric +better +decoder +mean +se +n +p_vs_reference +best$/);
  const cells = lines.slice(2).map((l) => [...l.split(/\s{2,}/).slice(0, 3), l.endsWith('*') ? 'best' : '']);
  assert.deepEqual(cells, [
    ['latent-cosine', 'higher', 'baseline', ''],
    ['latent-cosine', 'higher', 'pam', 'best'],
    ['lpips', 'lower', 'baseline', ''],
    ['lpips', 'lower', 'pam', 'best'],
    ['vgg-2/16', 'higher', 'baseline', 'best'],
    ['vgg-2/16', 'higher', 'pam', ''],
  ]);
  assert.match(lines[3]!, /1\.00e-124 +\*$/);
});
