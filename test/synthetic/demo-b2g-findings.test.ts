/**
 * The default demo shows the paper's B2G findings: on pipelines/demo.yaml's own world and training settings (read
 * through the config loader, so this test cannot drift from the demo), PAM's mean attention follows the planted
 * informativeness (IT > V4 > V1, each gap more than 3 standard errors of the per-item attention) and PAM beats the
 * baseline on every metric. Item counts are the demo's (nothing is scaled): the stage runners run in this process
 * and give the demo's numbers for its seed and backend (docs/synthetic-world.md §1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.js';
import { compareByDirection } from '../../src/evaluation/metric-direction.js';
import { projectRoot } from '../../src/paths/project-paths.js';
import { stageCatalog } from '../../src/stages/catalog.js';
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import { readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { commitOutput, stageContext } from '../support/stage-context.js';

test('demo.yaml: PAM attends IT > V4 > V1 (gaps > 3 SE) and beats the baseline on every metric', async () => {
  const { config } = loadPipelineConfig(path.join(projectRoot(), 'pipelines', 'demo.yaml'));
  const outputs = new Map<string, ArtifactInput>();
  for (const stage of config.stages) {
    const runner = await stageCatalog.get(stage.uses)!.loadRunner();
    const inputs = Object.fromEntries(Object.entries(stage.inputs).map(([role, from]) => [role, outputs.get(from)!]));
    const ctx = stageContext({ params: stage.params, seed: stage.seed, inputs, backend: config.runtime.backend });
    outputs.set(stage.id, await commitOutput(ctx, stage.uses, (await runner.run(ctx)).summary));
  }
  const evaluate = outputs.get('evaluate')!;

  const attention = evaluate.readTable('attention-by-area');
  const areas = readStrings(attention, 'area');
  const [means, errors] = [readNumbers(attention, 'mean_attention'), readNumbers(attention, 'se')];
  const byArea = new Map(areas.map((area, i) => [area, { mean: means[i]!, se: errors[i]! }]));
  const shown = JSON.stringify(Object.fromEntries(byArea));
  for (const [lower, higher] of [
    ['V1', 'V4'],
    ['V4', 'IT'],
  ] as const) {
    const [a, b] = [byArea.get(lower)!, byArea.get(higher)!];
    assert.ok(b.mean - a.mean > 3 * Math.max(a.se, b.se), `${higher} above ${lower} by more than 3 SE: ${shown}`);
  }

  const results = evaluate.readTable('results');
  const decoders = readStrings(results, 'decoder');
  const metrics = readStrings(results, 'metric');
  const resultMeans = readNumbers(results, 'mean');
  const meanOf = (decoder: string, metric: string) => resultMeans[decoders.findIndex((d, i) => d === decoder && metrics[i] === metric)]!;
  const compared = [...new Set(metrics)];
  assert.deepEqual(compared, ['latent-cosine', 'lpips', 'vgg-2/16', 'vgg-4/16', 'vgg-7/16', 'vgg-10/16', 'vgg-13/16']);
  for (const metric of compared) {
    const [pam, baseline] = [meanOf('pam', metric), meanOf('baseline', metric)];
    assert.ok(compareByDirection(metric, pam, baseline) < 0, `${metric}: PAM ${pam} vs baseline ${baseline}`);
  }
});
