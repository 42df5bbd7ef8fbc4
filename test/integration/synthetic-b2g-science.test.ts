/**
 * The whole B2G-like slice through Temporal, as a researcher runs it: synthetic world → baseline and PAM →
 * evaluation with reconstructions. On this world (IT planted as the most informative area) PAM must rank above
 * the baseline on latent similarity and on the image metrics (LPIPS lower, VGG similarity higher, paired
 * t-tests), and PAM must attend most to IT. Sized to run in about a minute.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

test('synthetic B2G-like: PAM ranks above the baseline on latent and image metrics and attends most to IT', async () => {
  const pipeline = world.writePipeline(
    'science.yaml',
    `experiment: science
seed: 9
stages:
  data:
    uses: synthesize-b2g
    with:
      latentDim: 64
      trainItems: 1500
      testItems: 40
      mixDims: 8
      areas:
        - { name: V1, units: 56, informativeness: 0.05 }
        - { name: V4, units: 32, informativeness: 0.25 }
        - { name: IT, units: 32, informativeness: 0.75, nonlinearity: tanh }
  train:
    uses: train
    inputs: { dataset: data }
    with: { decoders: { baseline: { epochs: 15 }, pam: { epochs: 15, width: 64 } } }
  evaluate:
    uses: evaluate
    inputs: { dataset: data, predictions: train }
    with: { generator: { kind: builtin, latentDim: 64, resolution: 32 }, perceptualSize: 32, contactItems: 6 }
`,
  );
  const result = await world.pam(['run', pipeline]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const stages = ((await world.client.workflow.getHandle('pam-experiment-science').result()) as ExperimentResult).stages;
  const evaluate = openArtifactInput(world.artifactDir(stages.find((s) => s.id === 'evaluate')!));
  const results = evaluate.readTable('results');
  const rows = readStrings(results, 'decoder').map((decoder, i) => ({
    decoder,
    metric: readStrings(results, 'metric')[i]!,
    mean: readNumbers(results, 'mean')[i]!,
    p: readNumbers(results, 'p_vs_reference')[i]!,
  }));
  const get = (decoder: string, metric: string) => rows.find((r) => r.decoder === decoder && r.metric === metric)!;
  const metrics = [...new Set(rows.map((r) => r.metric))];
  assert.deepEqual(metrics, ['latent-cosine', 'lpips', 'vgg-2/16', 'vgg-4/16', 'vgg-7/16', 'vgg-10/16', 'vgg-13/16']);
  for (const metric of metrics) {
    const pam = get('pam', metric);
    const baseline = get('baseline', metric);
    if (metric === 'lpips') assert.ok(pam.mean < baseline.mean, `${metric}: PAM ${pam.mean} vs baseline ${baseline.mean}`);
    else assert.ok(pam.mean > baseline.mean, `${metric}: PAM ${pam.mean} vs baseline ${baseline.mean}`);
  }
  assert.ok(get('pam', 'latent-cosine').p < 0.05 && get('pam', 'lpips').p < 0.05, 'paired t-tests significant');
  const attention = evaluate.readTable('attention-by-area');
  const byArea = Object.fromEntries(readStrings(attention, 'area').map((a, i) => [a, readNumbers(attention, 'mean_attention')[i]!]));
  assert.ok(byArea['IT']! > byArea['V4']! && byArea['IT']! > byArea['V1']!, JSON.stringify(byArea));
  const sheet = readFileSync(path.join(evaluate.dir, 'contact-sheet.png'));
  assert.deepEqual([...sheet.subarray(1, 4)], [0x50, 0x4e, 0x47], 'contact sheet is a PNG');
});
