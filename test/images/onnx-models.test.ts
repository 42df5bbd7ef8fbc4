/**
 * ONNX backends: the exported stand-in nets give the same activations and images as the tfjs nets on the same
 * weights, unexpected model interfaces fail before any compute, and an inference-only generator is refused for inversion.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { ConfigError, ModelLoadError } from '../../src/errors/pipeline-errors.js';
import { VGG16_POOL_TAPS, VGG16_RELU_TAPS } from '../../src/images/feature-nets/feature-network.js';
import { requireDifferentiable } from '../../src/images/generators/generator.js';
import { loadFeatureNet, loadGenerator } from '../../src/images/plugins/model-loader.js';
import { Rng } from '../../src/random/rng.js';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url).pathname;
const WIDTHS = [8, 16, 32, 32, 32];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('ONNX backends', () => {
  before(async () => {
    await initTensorBackend('wasm', () => {});
  });

  it('vgg16-onnx taps equal the tfjs VGG16 on the same weights (1e-4)', async () => {
    const onnx = await loadFeatureNet({ kind: 'vgg16-onnx', widths: WIDTHS, weights: `${FIXTURES}vgg16-standin.onnx` });
    const tfjs = await loadFeatureNet({ kind: 'vgg16', widths: WIDTHS, seed: 0, weights: `${FIXTURES}vgg16-standin.safetensors` });
    assert.equal(onnx.differentiable, false);
    const images = tf.tensor4d(new Rng(5).normals(2 * 32 * 32 * 3, 0.5), [2, 32, 32, 3]);
    const taps = [...VGG16_RELU_TAPS, ...VGG16_POOL_TAPS];
    const a = await onnx.features(images, taps);
    const b = await tfjs.features(images, taps);
    for (const tap of taps) {
      assert.deepEqual(a[tap]!.shape, b[tap]!.shape, tap);
      assert.ok(maxAbsDiff(await a[tap]!.data(), await b[tap]!.data()) < 1e-4, tap);
    }
    onnx.dispose();
    tfjs.dispose();
  });

  it('onnx generator images equal the builtin generator on the same weights, and it is refused for inversion', async () => {
    const onnx = await loadGenerator({ kind: 'onnx', weights: `${FIXTURES}generator-standin.onnx`, latentDim: 32, resolution: 32 });
    const builtin = await loadGenerator({
      kind: 'builtin',
      resolution: 32,
      latentDim: 32,
      channels: [16, 16, 8, 8],
      seed: 0,
      weights: `${FIXTURES}projector-generator.safetensors`,
    });
    const latents = tf.tensor2d(new Rng(6).normals(3 * 32), [3, 32]);
    const a = await onnx.generate(latents);
    const b = await builtin.generate(latents);
    assert.deepEqual(a.shape, [3, 32, 32, 3]);
    assert.ok(maxAbsDiff(await a.data(), await b.data()) < 1e-4);
    assert.throws(
      () => requireDifferentiable(onnx, 'invert-latents'),
      (e: Error) => e instanceof ConfigError && /inference-only/.test(e.message),
    );
    onnx.dispose();
    builtin.dispose();
  });

  it('refuses models with unexpected inputs or outputs, naming what was found', async () => {
    await assert.rejects(
      loadGenerator({ kind: 'onnx', weights: `${FIXTURES}two-inputs.onnx`, latentDim: 4, resolution: 32 }),
      (e: Error) =>
        e instanceof ModelLoadError &&
        /two-inputs\.onnx: expected exactly 1 input, found 2 \(a: float32\[1, 4\]; b: float32\[1, 4\]\)/.test(e.message),
    );
    await assert.rejects(
      loadGenerator({ kind: 'onnx', weights: `${FIXTURES}generator-standin.onnx`, latentDim: 512, resolution: 32 }),
      (e: Error) => e instanceof ModelLoadError && /input must be float32\[N, 512\], found latents: float32\[n, 32\]/.test(e.message),
    );
    await assert.rejects(
      loadFeatureNet({ kind: 'vgg16-onnx', widths: WIDTHS, weights: `${FIXTURES}generator-standin.onnx` }),
      (e: Error) => e instanceof ModelLoadError && /input must be float32\[N, 3, N, N\]/.test(e.message),
    );
    await assert.rejects(
      loadFeatureNet({ kind: 'vgg16-onnx', widths: [64, 128, 256, 512, 512], weights: `${FIXTURES}vgg16-standin.onnx` }),
      (e: Error) =>
        e instanceof ModelLoadError && /output "relu1_2" must be float32\[N, 64, N, N\], found relu1_2: float32\[n, 8,/.test(e.message),
    );
    await assert.rejects(
      loadFeatureNet({ kind: 'vgg16-onnx', widths: WIDTHS, weights: `${FIXTURES}vgg16-standin.onnx`, sha256: 'a'.repeat(64) }),
      (e: Error) => e instanceof ModelLoadError && /sha256 is [0-9a-f]{64}, but the config declares a{64}/.test(e.message),
    );
  });
});
