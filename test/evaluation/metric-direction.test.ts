import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareByDirection, metricDirection } from '../../src/evaluation/metric-direction.js';
import { IMAGE_METRICS } from '../../src/evaluation/image-metrics.js';

test('LPIPS is better lower; every VGG depth and latent cosine better higher', () => {
  assert.equal(metricDirection('lpips'), 'lower');
  for (const m of [...IMAGE_METRICS.filter((m) => m !== 'lpips'), 'latent-cosine']) assert.equal(metricDirection(m), 'higher', m);
  assert.ok(compareByDirection('lpips', 0.2, 0.3) < 0);
  assert.ok(compareByDirection('latent-cosine', 0.2, 0.3) > 0);
});
