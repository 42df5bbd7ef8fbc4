/** Stage render-stimuli: a GOD-like `images` table of planted latents → `stimuli` = generator(latent), in order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DataValidationError } from '../../src/errors/pipeline-errors.js';
import { loadGenerator } from '../../src/images/plugins/model-loader.js';
import { stimuliFromTable } from '../../src/tables/stimuli.js';
import { Rng } from '../../src/random/rng.js';
import { spec } from '../../src/stages/render-stimuli/spec.js';
import { runner } from '../../src/stages/render-stimuli/runner.js';
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import { buildTable } from '../../src/tables/arrow-tables.js';
import { inputArtifact, stageContext, writtenTable } from '../support/stage-context.js';

async function godLikeWorld(latentDim: number): Promise<{ dataset: ArtifactInput; latents: Float32Array }> {
  const latents = new Rng(3).normals(5 * latentDim);
  const dataset = await inputArtifact('synthesize-god', {
    images: buildTable({
      image_id: { kind: 'utf8', values: ['i0', 'i1', 'i2', 'i3', 'i4'] },
      split: { kind: 'utf8', values: ['train', 'train', 'train', 'test', 'test'] },
      latent: { kind: 'float32-vector', width: latentDim, values: latents },
    }),
  });
  return { dataset, latents };
}

describe('stage render-stimuli', () => {
  it('renders the planted latents of a GOD-like images table in batches, keeping ids and splits', async () => {
    const world = await godLikeWorld(24);
    const generator = { kind: 'builtin' as const, resolution: 16, latentDim: 24, seed: 9 };
    const ctx = stageContext({
      params: spec.params.parse({ generator, batchSize: 2 }),
      backend: 'wasm',
      inputs: { dataset: world.dataset },
    });
    const result = await runner.run(ctx);
    const stimuli = stimuliFromTable(writtenTable(ctx, 'stimuli'), 'stimuli');
    assert.deepEqual(stimuli.ids, ['i0', 'i1', 'i2', 'i3', 'i4']);
    assert.deepEqual(stimuli.splits, ['train', 'train', 'train', 'test', 'test']);
    assert.equal(stimuli.height, 16);
    assert.match(stimuli.source, /seeded stand-in weights \(seed 9, 16 px/);
    assert.equal(result.summary.generator, stimuli.source);
    const direct = await loadGenerator(generator);
    const expected = (await direct.generate(tf.tensor2d(world.latents, [5, 24]))).dataSync();
    let worst = 0;
    stimuli.pixels.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - expected[i]!));
    });
    assert.ok(worst < 1e-6, `batched rendering differs by ${worst}`);
    // Varied images: two different latents must not give (nearly) the same picture.
    const size = 16 * 16 * 3;
    let difference = 0;
    for (let j = 0; j < size; j++) difference += Math.abs(stimuli.pixels[j]! - stimuli.pixels[size + j]!) / size;
    assert.ok(difference > 0.05, `mean |difference| of two stimuli is only ${difference}`);
  });

  it('refuses latents whose width differs from the generator latent size, naming the dataset', async () => {
    const world = await godLikeWorld(24);
    const ctx = stageContext({
      params: spec.params.parse({ generator: { kind: 'builtin', resolution: 16, latentDim: 32 } }),
      backend: 'wasm',
      inputs: { dataset: world.dataset },
    });
    await assert.rejects(
      runner.run(ctx),
      (e: Error) =>
        e instanceof DataValidationError && e.message.includes(world.dataset.dir) && /latents have 24 dims.*takes 32/.test(e.message),
    );
  });
});
