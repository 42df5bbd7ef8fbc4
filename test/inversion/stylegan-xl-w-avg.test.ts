/**
 * The start of StyleGAN-XL's projector: w_avg over 10 000 z from numpy's RandomState(123) through the mapping, as
 * run_inversion.py `project()` computes it, recorded by scripts/fixtures/stylegan-xl/make_stylegan_xl.py on the
 * official fixture networks (`w_avg_project`; the conditional one with classes 0, 1, … repeating, for the
 * classifier's draw). src/inversion/stylegan-xl-prior.ts must give the same w.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parseSafetensors } from '../../src/images/codecs/safetensors.js';
import { loadStyleGanXl } from '../../src/models/stylegan-xl/load-stylegan-xl.js';
import { StyleGanXlWAvg, W_AVG_SAMPLES } from '../../src/inversion/stylegan-xl-prior.js';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';

const FIXTURES = new URL('../../fixtures/stylegan-xl/', import.meta.url).pathname;

function officialWAvg(name: string): Float32Array {
  const path = `${FIXTURES}${name}-reference.safetensors`;
  const tensor = parseSafetensors(readFileSync(path), path).tensors.get('w_avg_project');
  assert.ok(tensor, `${path}: no w_avg_project`);
  return Float32Array.from(tensor.values);
}

for (const backend of TEST_BACKENDS) {
  describe(`StyleGAN-XL project() w_avg (${backend})`, () => {
    before(async () => {
      await initTensorBackend(backend, () => {});
    });

    for (const name of ['affine', 'conditional'] as const) {
      it(`${name}: equals the official w_avg (1e-5 of its largest entry)`, (t) => {
        const generator = loadStyleGanXl({ weights: `${FIXTURES}${name}.safetensors`, architecture: `${FIXTURES}${name}.json` });
        const { cDim } = generator.architecture;
        const classes = cDim > 0 ? Int32Array.from({ length: W_AVG_SAMPLES }, (_, i) => i % cDim) : undefined;
        const { mean } = new StyleGanXlWAvg(generator).prior(classes);
        const expected = officialWAvg(name);
        assert.equal(mean.length, expected.length);
        const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const error = mean.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0) / scale;
        t.diagnostic(`relative error ${error.toExponential(2)}`);
        assert.ok(error < 1e-5, `relative error ${error}`);
        generator.dispose();
      });
    }
  });
}
