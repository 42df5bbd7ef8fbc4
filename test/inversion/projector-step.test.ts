/**
 * The first projector steps match PyTorch (scripts/fixtures/images/make_projector_step.py): same generator weights,
 * stand-in VGG + LPIPS weights, target, initial latents and unit noise → same gradients, losses and Adam updates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';
import { requireDifferentiable } from '../../src/images/generators/generator.js';
import { loadFeatureNet, loadGenerator, loadLpips } from '../../src/images/plugins/model-loader.js';
import { parseSafetensors } from '../../src/images/codecs/safetensors.js';
import { createAdamState, adamStep } from '../../src/inversion/adam.js';
import { SeedBatchProjector, type InversionNets } from '../../src/inversion/projector.js';
import { latentNoiseScaleAt, learningRateAt, type ProjectorSchedule } from '../../src/inversion/projector-schedule.js';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url).pathname;
const reference = parseSafetensors(readFileSync(`${FIXTURES}projector-step.safetensors`), 'projector-step');
const get = (name: string) => reference.tensors.get(name)!.values;
const schedule = JSON.parse(reference.metadata.schedule!) as ProjectorSchedule;
const latentStd = Number(reference.metadata.latent_std);
const widths = JSON.parse(reference.metadata.widths!) as number[];
const generatorShape = JSON.parse(reference.metadata.generator!) as { resolution: number; latentDim: number; channels: number[] };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

for (const backend of TEST_BACKENDS) {
  describe(`projector step vs PyTorch (${backend})`, () => {
    let nets: InversionNets;
    before(async () => {
      await initTensorBackend(backend, () => {});
      const generator = await loadGenerator({
        kind: 'builtin',
        seed: 0,
        ...generatorShape,
        weights: `${FIXTURES}projector-generator.safetensors`,
      });
      const featureNet = await loadFeatureNet({ kind: 'vgg16', widths, seed: 0, weights: `${FIXTURES}vgg16-standin.safetensors` });
      nets = {
        generator: requireDifferentiable(generator, 'test'),
        featureNet: featureNet as InversionNets['featureNet'],
        lpips: loadLpips({ weights: `${FIXTURES}lpips-lin-standin.safetensors` }, widths),
      };
    });

    it('schedule: lr is 0 at step 0, full after warm-up, cosine ramp-down to 0; noise decays to 0 at 75 %', () => {
      const s: ProjectorSchedule = { ...schedule, steps: 1000 };
      assert.equal(learningRateAt(s, 0), 0);
      assert.ok(Math.abs(learningRateAt(s, 25) - 0.05) < 1e-12);
      assert.equal(learningRateAt(s, 500), 0.1);
      assert.ok(Math.abs(learningRateAt(s, 875) - 0.05) < 1e-12);
      assert.ok(learningRateAt(s, 1000) === 0);
      assert.ok(Math.abs(latentNoiseScaleAt(s, 0, 2) - 0.1) < 1e-12);
      assert.equal(latentNoiseScaleAt(s, 750, 2), 0);
    });

    it('Adam matches torch.optim.Adam on a hand-computed first step', () => {
      const params = Float32Array.from([1, -2]);
      const state = createAdamState(2);
      adamStep(params, Float32Array.from([0.5, -3]), state, 0.1);
      // First step: m̂ = g, v̂ = g², so p -= lr · g / (|g| + ε) = lr · sign(g).
      assert.ok(maxAbsDiff(params, [0.9, -1.9]) < 1e-6);
      assert.equal(state.step, 1);
    });

    it('gradients, losses and latents after each of 4 steps match PyTorch (1e-4)', () => {
      const projector = new SeedBatchProjector(nets, get('target'), get('initial_latents'), schedule, [latentStd, latentStd, latentStd]);
      const size = get('initial_latents').length;
      const gradients = get('gradients');
      let gradientScale = 0;
      for (const g of gradients) gradientScale = Math.max(gradientScale, Math.abs(g));
      try {
        for (let step = 0; step < 4; step++) {
          const noise = get('unit_noise').subarray(step * size, (step + 1) * size);
          const scale = latentNoiseScaleAt(schedule, step, latentStd);
          const noisy = projector.latents.map((w, i) => w + scale * noise[i]!);
          const { gradient } = projector.lossAndGradient(noisy);
          const gradientError = maxAbsDiff(gradient, gradients.subarray(step * size, (step + 1) * size));
          assert.ok(gradientError <= 1e-4 * gradientScale, `step ${step}: gradient error ${gradientError} (scale ${gradientScale})`);
          const losses = projector.step(step, noise);
          const lossError = maxAbsDiff(losses, get('losses').subarray(step * 3, (step + 1) * 3));
          assert.ok(lossError <= 1e-4, `step ${step}: loss error ${lossError}`);
          const latentError = maxAbsDiff(projector.latents, get('latents').subarray(step * size, (step + 1) * size));
          assert.ok(latentError <= 1e-4, `step ${step}: latent error ${latentError}`);
        }
        // The steps must actually move the latents, or the comparison above proves nothing.
        assert.ok(maxAbsDiff(projector.latents, get('initial_latents')) > 0.1);
      } finally {
        projector.dispose();
      }
    });
  });
}
