/**
 * The stylegan-xl generator kind through the real stages: render-stimuli draws stimuli with the small conditional
 * StyleGAN-XL fixture (fixtures/stylegan-xl/conditional.*: 32 px, w 32, 4 classes, its random weights), and
 * invert-latents inverts them with StyleGAN-XL's `project()` (no latent noise, start at w_avg; ten seeds, each
 * drawing its own class mixture for w_avg). The inverted latents must reproduce every stimulus better than its
 * start: a one-step run measures the start, because `project()`'s learning rate is 0 at step 0 (the lr warm-up), so
 * it returns w_avg itself. With one class every seed starts at the same w_avg, so the seeds share one run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { loadStyleGanXlGenerator } from '../../src/images/plugins/model-loader.js';
import { modelWeightsInputs } from '../../src/images/plugins/model-refs.js';
import { Rng } from '../../src/random/rng.js';
import { spec as invertSpec } from '../../src/stages/invert-latents/spec.js';
import { runner as invertRunner } from '../../src/stages/invert-latents/runner.js';
import { spec as renderSpec } from '../../src/stages/render-stimuli/spec.js';
import { runner as renderRunner } from '../../src/stages/render-stimuli/runner.js';
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import { buildTable, readFloat32Matrix, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { commitOutput, inputArtifact, stageContext, tempDir } from '../support/stage-context.js';

const FIXTURES = new URL('../../fixtures/stylegan-xl/', import.meta.url).pathname;
const generator = {
  kind: 'stylegan-xl' as const,
  weights: `${FIXTURES}conditional.safetensors`,
  architecture: `${FIXTURES}conditional.json`,
  latentDim: 32,
  resolution: 32,
};
const SEEDS = 10;
const STEPS = 40;

/** Planted w = mapping(z, class) of the fixture network, in the decoding layout (2 train images, 1 test). */
async function plantedDataset(): Promise<ArtifactInput> {
  const net = loadStyleGanXlGenerator(renderSpec.params.parse({ generator }).generator as typeof generator);
  const rng = new Rng(11);
  const ws = tf.tidy(() => {
    const z = tf.tensor2d(rng.normals(3 * 16), [3, 16]);
    const c = tf.oneHot(tf.tensor1d([0, 3, 1], 'int32'), 4).toFloat() as tf.Tensor2D;
    return tf.slice(net.mapping.map(z, c), [0, 0, 0], [3, 1, 32]);
  });
  const latents = Float32Array.from(ws.dataSync());
  ws.dispose();
  net.dispose();
  const table = (ids: string[], values: Float32Array) =>
    buildTable({ item_id: { kind: 'utf8', values: ids }, latent: { kind: 'float32-vector', width: 32, values } });
  return inputArtifact('dataset', { train: table(['tr-0', 'tr-1'], latents.subarray(0, 64)), test: table(['te-0'], latents.subarray(64)) });
}

async function invert(images: ArtifactInput, with_: Record<string, unknown>) {
  const params = invertSpec.params.parse({ shards: 1, seeds: SEEDS, generator, ...with_ });
  const ctx = stageContext({ params, seed: 5, backend: 'tfjs-node', inputs: { images }, partialDir: tempDir('pam-sgxl-partial-') });
  const result = await invertRunner.run(ctx);
  const out = await commitOutput(ctx, 'invert-latents', result.summary);
  const bySeed = out.readTable('lpips-by-seed');
  const latents = out.readTable('latents');
  return {
    ids: readStrings(latents, 'image_id'),
    best: readNumbers(latents, 'lpips'),
    latents: readFloat32Matrix(latents, 'latent').values,
    seedLpips: readNumbers(bySeed, 'lpips'),
  };
}

describe('stylegan-xl generator kind', () => {
  it('is a generator ref with its architecture record as a second external input, and project() has no noise', () => {
    const params = invertSpec.params.parse({ generator: { kind: 'stylegan-xl', weights: 'g.safetensors', architecture: 'g.json' } });
    assert.equal(params.initialNoiseFactor, 0);
    assert.deepEqual(
      { latentDim: params.generator.latentDim, resolution: params.generator.resolution },
      { latentDim: 512, resolution: 512 },
    );
    assert.equal(invertSpec.params.parse({}).initialNoiseFactor, 0.05, 'the builtin generator keeps the StyleGAN2-ADA projector');
    assert.deepEqual(
      modelWeightsInputs(params).map((input) => [input.label, input.param.join('.')]),
      [
        ['generator weights', 'generator.weights'],
        ['generator architecture', 'generator.architecture'],
      ],
    );
    assert.throws(() => invertSpec.params.parse({ generator: { kind: 'stylegan-xl', weights: 'g.safetensors' } }), /architecture/);
  });

  it('refuses a ref whose declared size disagrees with the record, naming the record', () => {
    assert.throws(
      () => loadStyleGanXlGenerator({ ...generator, resolution: 64 }),
      (error: Error) =>
        error.name === 'ModelLoadError' && error.message.includes('conditional.json') && /resolution 32/.test(error.message),
    );
  });

  it('renders stimuli, and project() with ten seeds reproduces each better than its w_avg start', async () => {
    const render = stageContext({
      params: renderSpec.params.parse({ generator }),
      backend: 'tfjs-node',
      inputs: { dataset: await plantedDataset() },
    });
    const rendered = await renderRunner.run(render);
    assert.equal(rendered.summary.images, 3);
    assert.match(String(rendered.summary.generator), /^stylegan-xl generator, weights .*conditional\.safetensors/);
    const images = await commitOutput(render, 'render-stimuli', rendered.summary);

    const start = await invert(images, { steps: 1 });
    const final = await invert(images, { steps: STEPS });
    assert.deepEqual(final.ids, ['tr-0', 'tr-1']);
    assert.equal(final.seedLpips.length, 2 * SEEDS);
    for (let i = 0; i < 2; i++) {
      const starts = start.seedLpips.subarray(i * SEEDS, (i + 1) * SEEDS);
      const finals = final.seedLpips.subarray(i * SEEDS, (i + 1) * SEEDS);
      // The seeds' class mixtures differ, so do their starts.
      assert.ok(new Set(starts).size > 1, `image ${i}: all ten seeds start alike`);
      for (let s = 0; s < SEEDS; s++) assert.ok(finals[s]! < starts[s]!, `image ${i} seed ${s}: ${finals[s]} ≥ start ${starts[s]}`);
      assert.ok(final.best[i]! < Math.min(...starts), `image ${i}: best ${final.best[i]} vs best start ${Math.min(...starts)}`);
      assert.equal(final.best[i], Math.min(...finals));
    }
  });

  it('with one class every seed starts at the same w_avg and shares one run', async () => {
    const images = await commitOutputOfRender();
    const run = await invert(images, { steps: 3, classes: [2], split: 'test' });
    assert.equal(new Set(run.seedLpips).size, 1);
    await assert.rejects(
      invert(images, { steps: 1, classes: [4], split: 'test' }),
      (error: Error) => error instanceof ConfigError && /classes 4 are out of range/.test(error.message),
    );
  });
});

async function commitOutputOfRender(): Promise<ArtifactInput> {
  const render = stageContext({
    params: renderSpec.params.parse({ generator }),
    backend: 'tfjs-node',
    inputs: { dataset: await plantedDataset() },
  });
  return commitOutput(render, 'render-stimuli', (await renderRunner.run(render)).summary);
}
