/**
 * Fixture tests against PyTorch/torchvision/lpips 0.1.4 (scripts/fixtures/images/make_vgg_lpips.py): every VGG16 tap,
 * LPIPS with and without linear weights, perceptual similarity at the five depths, and torchvision's layout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';
import { VGG16_POOL_TAPS, VGG16_RELU_TAPS } from '../../src/images/feature-nets/feature-network.js';
import { lpips, lpipsScaling, UNWEIGHTED_LPIPS } from '../../src/evaluation/lpips.js';
import { loadFeatureNet, loadLpips } from '../../src/images/plugins/model-loader.js';
import { perceptualSimilarity, PERCEPTUAL_METRICS } from '../../src/evaluation/perceptual-similarity.js';
import { parseSafetensors } from '../../src/images/codecs/safetensors.js';
import { vgg16WeightShapes, VGG16_STANDARD_WIDTHS } from '../../src/images/feature-nets/vgg16.js';
import type { FeatureNetwork } from '../../src/images/feature-nets/feature-network.js';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url).pathname;
const reference = parseSafetensors(readFileSync(`${FIXTURES}vgg-lpips-reference.safetensors`), 'reference');
const widths = JSON.parse(reference.metadata.widths!) as number[];
const tensorOf = (name: string) => reference.tensors.get(name)!;
const images = (name: string) => tf.tensor4d(tensorOf(name).values, tensorOf(name).shape as [number, number, number, number]);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  assert.ok(worst <= tolerance, `${what}: max abs difference ${worst} > ${tolerance}`);
}

for (const backend of TEST_BACKENDS) {
  describe(`VGG16 / LPIPS / perceptual similarity vs PyTorch (${backend})`, () => {
    let net: FeatureNetwork;
    before(async () => {
      await initTensorBackend(backend, () => {});
      net = await loadFeatureNet({ kind: 'vgg16', widths, seed: 0, weights: `${FIXTURES}vgg16-standin.safetensors` });
    });

    it('matches every relu and pool tap of torchvision features (1e-4)', async () => {
      const input = lpipsScaling(images('images_a'));
      const taps = await net.features(input, [...VGG16_RELU_TAPS, ...VGG16_POOL_TAPS]);
      for (const tap of [...VGG16_RELU_TAPS, ...VGG16_POOL_TAPS]) {
        const expected = tensorOf(`taps_a.${tap}`);
        assert.deepEqual(taps[tap]!.shape, expected.shape, `${tap} shape`);
        assertClose(await taps[tap]!.data(), expected.values, 1e-4, tap);
      }
      tf.dispose([input, ...Object.values(taps)]);
    });

    it('matches lpips.LPIPS(net=vgg) with linear weights and the lpips=False variant (1e-4)', async () => {
      const head = loadLpips({ weights: `${FIXTURES}lpips-lin-standin.safetensors` }, widths);
      const withLinear = await lpips(net, head, images('images_a'), images('images_b'));
      assertClose(withLinear, tensorOf('lpips').values, 1e-4, 'lpips');
      const plain = await lpips(net, UNWEIGHTED_LPIPS, images('images_a'), images('images_b'));
      assertClose(plain, tensorOf('lpips_nolin').values, 1e-4, 'lpips=False');
      assert.match(UNWEIGHTED_LPIPS.label, /lpips=False/);
      // The close pair must be the nearest one, or the fixture would not discriminate.
      assert.ok(withLinear[0]! < withLinear[1]! && withLinear[0]! < withLinear[2]!);
    });

    it('matches cosine similarity of pool1..pool5 after Resize + ImageNet normalisation (1e-4)', async () => {
      const size = Number(reference.metadata.perceptual_size);
      const scores = await perceptualSimilarity(net, images('images_a'), images('images_b'), size);
      for (const [metric] of PERCEPTUAL_METRICS) assertClose(scores[metric]!, tensorOf(`perceptual.${metric}`).values, 1e-4, metric);
    });

    it('uses exactly torchvision vgg16().features tensor names and shapes at full width', () => {
      const structure = JSON.parse(reference.metadata.structure!) as Record<string, number[]>;
      assert.deepEqual(Object.fromEntries(vgg16WeightShapes(VGG16_STANDARD_WIDTHS)), structure);
    });
  });
}
