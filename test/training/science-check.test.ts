/**
 * Science check on the synthetic B2G-like world (src/synthetic/b2g.ts, informativeness IT ≫ V4 > V1): PAM's
 * per-item latent cosine similarity beats the baseline's (paired t-test, one-sided, p < 0.05), and PAM's mean
 * attention is highest for the area the simulator made most informative. Sized to train in seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowCosineSimilarities } from '../../src/evaluation/latent-similarity.js';
import { spec } from '../../src/stages/train/spec.js';
import { runner } from '../../src/stages/train/runner.js';
import { pairedTTest } from '../../src/stats/paired-t-test.js';
import { mean } from '../../src/stats/summary.js';
import { b2gConfigSchema, DEFAULT_B2G_AREAS } from '../../src/synthetic/b2g-config.js';
import { simulateB2G } from '../../src/synthetic/b2g.js';
import { readFloat32Matrix, readStrings } from '../../src/tables/arrow-tables.js';
import { datasetFromWorld, datasetInput } from '../support/dataset-tables.js';
import { stageContext, writtenTable } from '../support/stage-context.js';

test('PAM beats the baseline on the synthetic world and attends most to the most informative area', async () => {
  const config = b2gConfigSchema.parse({
    latentDim: 32,
    trainItems: 1000,
    testItems: 60,
    mixDims: 8,
    areas: DEFAULT_B2G_AREAS.map((area) => ({ ...area, units: Math.round(area.units / 8) })),
  });
  const world = simulateB2G(config, 5);
  const dataset = datasetFromWorld(world);
  const mostInformative = [...config.areas].sort((a, b) => b.informativeness - a.informativeness)[0]!.name;

  const params = spec.params.parse({ decoders: { baseline: { epochs: 12 }, pam: { epochs: 12, width: 32 } } });
  const run = stageContext({ params, seed: 9, backend: 'wasm', inputs: { dataset: await datasetInput(dataset) } });
  await runner.run(run);

  const predictions = writtenTable(run, 'predictions');
  const decoders = readStrings(predictions, 'decoder');
  const latent = readFloat32Matrix(predictions, 'latent').values;
  const rowsOf = (name: string) => {
    const first = decoders.indexOf(name);
    return latent.subarray(first * config.latentDim, (first + config.testItems) * config.latentDim);
  };
  const pam = rowCosineSimilarities(world.test.latents, rowsOf('pam'), config.latentDim);
  const baseline = rowCosineSimilarities(world.test.latents, rowsOf('baseline'), config.latentDim);
  const comparison = pairedTTest(pam, baseline, 'greater');
  assert.ok(comparison.p < 0.05, `PAM ${mean(pam).toFixed(3)} vs baseline ${mean(baseline).toFixed(3)}: p = ${comparison.p}`);

  const attention = writtenTable(run, 'attention');
  const areas = readStrings(attention, 'area');
  const weights = readFloat32Matrix(attention, 'weights');
  const meanAttention = new Map<string, number>();
  for (const area of config.areas) {
    const rows = areas.flatMap((name, row) => (name === area.name ? [row] : []));
    meanAttention.set(area.name, mean(rows.flatMap((row) => [...weights.values.subarray(row * weights.width, (row + 1) * weights.width)])));
  }
  const ranked = [...meanAttention.entries()].sort((a, b) => b[1] - a[1]);
  assert.equal(ranked[0]![0], mostInformative, `mean attention: ${JSON.stringify(ranked)}`);
});
