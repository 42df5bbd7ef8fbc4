/**
 * Stage `invert-latents` on a tiny synthetic world: render-stimuli draws images of planted latents, two shards invert
 * the training images with ten seeds, a shard killed mid-way resumes without redoing its finished image, and the merge
 * recovers the planted latents (science check: numbers measured with these settings are stated below).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { rowCosineSimilarities } from '../../src/evaluation/latent-similarity.js';
import { Rng } from '../../src/random/rng.js';
import { spec as invertSpec } from '../../src/stages/invert-latents/spec.js';
import { runner as invertRunner } from '../../src/stages/invert-latents/runner.js';
import { spec as renderSpec } from '../../src/stages/render-stimuli/spec.js';
import { runner as renderRunner } from '../../src/stages/render-stimuli/runner.js';
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import { buildTable, readFloat32Matrix, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { commitOutput, inputArtifact, stageContext, tempDir } from '../support/stage-context.js';

const LATENT_DIM = 64;
const generator = { kind: 'builtin' as const, resolution: 16, latentDim: LATENT_DIM, seed: 3 };

/** A decoding-layout dataset artifact (train/test tables with planted latents). */
async function plantedDataset(): Promise<{ input: ArtifactInput; train: Float32Array }> {
  const rng = new Rng(2024);
  const train = rng.normals(3 * LATENT_DIM);
  const test = rng.normals(1 * LATENT_DIM);
  const table = (ids: string[], latents: Float32Array) =>
    buildTable({
      item_id: { kind: 'utf8', values: ids },
      latent: { kind: 'float32-vector', width: LATENT_DIM, values: latents },
    });
  const input = await inputArtifact('dataset', { train: table(['tr-0', 'tr-1', 'tr-2'], train), test: table(['te-0'], test) });
  return { input, train };
}

describe('stage invert-latents', () => {
  it('validates params strictly and declares one activity per shard', () => {
    const params = invertSpec.params.parse({ shards: 3 });
    assert.equal(invertSpec.shardCount!(params), 3);
    assert.equal(params.seeds, 10);
    assert.throws(() => invertSpec.params.parse({ shard: 3 }), z.ZodError);
    assert.throws(() => invertSpec.params.parse({ generator: { kind: 'onnx', resolution: 64 } }), z.ZodError);
  });

  it('refuses at plan time a generator side above 256 px that the loss cannot area-downsample by whole blocks', () => {
    const issues = (resolution: number) =>
      invertSpec.checkPlan!(invertSpec.params.parse({ generator: { kind: 'onnx', weights: 'g.onnx', resolution } }), {});
    assert.deepEqual(issues(512), []);
    assert.deepEqual(issues(200), []);
    const [issue, ...rest] = issues(300);
    assert.deepEqual(rest, []);
    assert.deepEqual(issue?.key, ['with', 'generator', 'resolution']);
    assert.match(issue!.message, /multiple of 256.*found 300/);
  });

  it('inverts in shards, resumes a killed shard at its first unfinished image, and recovers planted latents', async () => {
    const dataset = await plantedDataset();
    const render = stageContext({ params: renderSpec.params.parse({ generator }), backend: 'wasm', inputs: { dataset: dataset.input } });
    const rendered = await renderRunner.run(render);
    assert.equal(rendered.summary.images, 4);
    const images = await commitOutput(render, 'render-stimuli', rendered.summary);

    const params = invertSpec.params.parse({ steps: 60, shards: 2, generator });
    const partialDir = tempDir('pam-invert-partial-');
    // Shard 1 holds training images 1 and 2. Kill it once image 1 is saved (checkpoint finishedImages = 1).
    const killed = stageContext({
      params,
      seed: 1,
      backend: 'wasm',
      inputs: { images },
      partialDir,
      shard: { index: 1, count: 2 },
      onProgress: (progress, abort) => {
        if ((progress.checkpoint as { finishedImages?: number } | undefined)?.finishedImages === 1) abort.abort();
      },
    });
    await assert.rejects(invertRunner.run(killed), (error: Error) => error.name === 'AbortError');
    assert.deepEqual(
      killed.logs.filter((l) => l.startsWith('inverting')).map((l) => l.split(' ')[2]),
      ['tr-1', 'tr-2'],
    );

    const resumed = stageContext({ params, seed: 1, backend: 'wasm', inputs: { images }, partialDir, shard: { index: 1, count: 2 } });
    const resumedResult = await invertRunner.run(resumed);
    // Only the image in flight is redone.
    assert.deepEqual(
      resumed.logs.filter((l) => l.startsWith('inverting')).map((l) => l.split(' ')[2]),
      ['tr-2'],
    );

    const first = stageContext({ params, seed: 1, backend: 'wasm', inputs: { images }, partialDir, shard: { index: 0, count: 2 } });
    const firstResult = await invertRunner.run(first);
    const merge = stageContext({
      params,
      seed: 1,
      backend: 'wasm',
      inputs: {
        images,
        'shard-0': await commitOutput(first, 'invert-latents', firstResult.summary),
        'shard-1': await commitOutput(resumed, 'invert-latents', resumedResult.summary),
      },
    });
    const merged = await invertRunner.merge!(merge);
    assert.equal(merged.summary.images, 3);

    const out = await commitOutput(merge, 'invert-latents', merged.summary);
    const latents = out.readTable('latents');
    assert.deepEqual(readStrings(latents, 'image_id'), ['tr-0', 'tr-1', 'tr-2']);
    const bestLpips = readNumbers(latents, 'lpips');
    const bySeed = out.readTable('lpips-by-seed');
    const seedLpips = readNumbers(bySeed, 'lpips');
    assert.equal(seedLpips.length, 30);
    const chosenSeeds = readNumbers(latents, 'seed');
    const bySeedIds = readStrings(bySeed, 'image_id');
    const bySeedSeeds = readNumbers(bySeed, 'seed');
    for (let i = 0; i < 3; i++) {
      const own = Array.from(seedLpips.subarray(i * 10, (i + 1) * 10)).sort((a, b) => a - b);
      const median = (own[4]! + own[5]!) / 2;
      assert.ok(bestLpips[i]! <= median, `image ${i}: best-of-ten ${bestLpips[i]} > median ${median}`);
      assert.equal(bestLpips[i], own[0]);
      const row = bySeedIds.findIndex((id, r) => id === `tr-${i}` && bySeedSeeds[r] === chosenSeeds[i]);
      assert.equal(seedLpips[row], bestLpips[i], 'the chosen seed is the one with the lowest LPIPS');
    }
    // Science check, measured with these settings (16 px stand-ins, 64-d latents, 60 steps × 10 seeds):
    // best-of-ten LPIPS (lpips=False variant) 0.123, 0.169, 0.093 and latent cosine to the planted latent 0.49, 0.44,
    // 0.63 (chance: |cos| ≈ 1/√64 = 0.125). 100 steps give 0.02–0.08 LPIPS and cosines 0.48–0.71.
    const cosine = rowCosineSimilarities(dataset.train, readFloat32Matrix(latents, 'latent').values, LATENT_DIM);
    for (let i = 0; i < 3; i++) {
      assert.ok(cosine[i]! > 0.35, `image ${i}: latent cosine ${cosine[i]} ≤ 0.35`);
      assert.ok(bestLpips[i]! < 0.25, `image ${i}: best LPIPS ${bestLpips[i]} ≥ 0.25`);
    }
    assert.match(latents.schema.metadata.get('models')!, /seeded stand-in weights.*lpips=False/);
  });
});
