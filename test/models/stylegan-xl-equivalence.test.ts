/**
 * The tfjs StyleGAN-XL generator against the official PyTorch code (fixture: scripts/fixtures/stylegan-xl/
 * make_stylegan_xl.py, which builds small official networks — a conditional 16→32 px one, and an unconditional
 * 16→32→64 px one with an active input transform — pickles and converts them with scripts/convert_stylegan_xl.py).
 * Same weights and inputs give the same ws, images and gradients of a fixed scalar loss with respect to w, within
 * 1e-4 relative (max abs error / max abs value), on every installed backend; the architecture derived from the
 * hyperparameters is the one the official constructors built.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { parseSafetensors } from '../../src/images/codecs/safetensors.js';
import { styleganXlArchitecture, STYLEGAN_XL_DEFAULTS, type StyleGanXlHyperparameters } from '../../src/models/stylegan-xl/layer-specs.js';
import { loadStyleGanXl, readStyleGanXlArchitecture } from '../../src/models/stylegan-xl/load-stylegan-xl.js';
import { resamplingOf } from '../../src/models/stylegan-xl/synthesis-layer.js';
import type { StyleGanXlGenerator } from '../../src/models/stylegan-xl/stylegan-xl-generator.js';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';

const FIXTURES = new URL('../../fixtures/stylegan-xl/', import.meta.url).pathname;
const TOLERANCE = 1e-4;
const CONFIGS = ['conditional', 'affine'] as const;

/** The fixture script's configuration: the official Generator and SuperresGenerator keyword arguments. */
interface OfficialConfig {
  stem: {
    z_dim: number;
    c_dim: number;
    w_dim: number;
    img_resolution: number;
    img_channels: number;
    mapping_kwargs: { num_layers: number };
    channel_base: number;
    channel_max: number;
    num_layers: number;
    conv_kernel: number;
    conv_clamp: number | null;
    margin_size?: number;
  };
  superres: { head_layers: number; up_factor: number }[];
  embedding: { classes: number; dim: number } | null;
}

function hyperparameters(config: OfficialConfig): StyleGanXlHyperparameters {
  const { stem } = config;
  return {
    ...STYLEGAN_XL_DEFAULTS,
    zDim: stem.z_dim,
    cDim: stem.c_dim,
    wDim: stem.w_dim,
    stemResolution: stem.img_resolution,
    imgChannels: stem.img_channels,
    mappingLayers: stem.mapping_kwargs.num_layers,
    embedding: config.embedding ?? STYLEGAN_XL_DEFAULTS.embedding,
    channelBase: stem.channel_base,
    channelMax: stem.channel_max,
    numLayers: stem.num_layers,
    convKernel: stem.conv_kernel,
    convClamp: stem.conv_clamp,
    marginSize: stem.margin_size ?? STYLEGAN_XL_DEFAULTS.marginSize,
    superres: config.superres.map((s) => ({ headLayers: s.head_layers, upFactor: s.up_factor })),
  };
}

function reference(name: string) {
  const path = `${FIXTURES}${name}-reference.safetensors`;
  const { tensors, metadata } = parseSafetensors(readFileSync(path), path);
  const tensor = (key: string) => {
    const t = tensors.get(key);
    assert.ok(t, `${path}: no tensor ${key}`);
    return tf.tensor(t.values, t.shape);
  };
  const [psi, cutoff] = JSON.parse(metadata['truncation']!) as [number, number];
  return { tensors, tensor, config: JSON.parse(metadata['config']!) as OfficialConfig, truncation: { psi, cutoff } };
}

/** Max abs error relative to the largest expected magnitude; returns it for the diagnostics. */
function assertClose(actual: tf.Tensor, expected: tf.Tensor, what: string): number {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let error = 0;
  let scale = 0;
  for (let i = 0; i < e.length; i++) {
    error = Math.max(error, Math.abs(a[i]! - e[i]!));
    scale = Math.max(scale, Math.abs(e[i]!));
  }
  assert.ok(scale > 0, `${what}: the reference is all zeros`);
  assert.ok(error <= TOLERANCE * scale, `${what}: max error ${error} vs scale ${scale}`);
  return error / scale;
}

const nhwc = (images: tf.Tensor) => tf.transpose(images, [0, 2, 3, 1]);

describe('StyleGAN-XL architecture from hyperparameters', () => {
  for (const name of CONFIGS) {
    it(`${name}: the derived layer specs are the ones the official constructors built`, () => {
      const converted = readStyleGanXlArchitecture(`${FIXTURES}${name}.json`);
      const derived = styleganXlArchitecture(hyperparameters(reference(name).config));
      const { layers, ...rest } = derived;
      const { layers: officialLayers, ...officialRest } = converted;
      assert.deepEqual(rest, officialRest);
      assert.deepEqual(
        layers.map((l) => l.name),
        officialLayers.map((l) => l.name),
      );
      layers.forEach((layer, i) => {
        for (const [key, value] of Object.entries(layer)) {
          const official = officialLayers[i]![key as keyof typeof layer];
          if (typeof value === 'number')
            assert.ok(Math.abs(value - (official as number)) <= 1e-12 * Math.abs(value), `${layer.name}.${key}`);
          else assert.equal(value, official, `${layer.name}.${key}`);
        }
      });
    });

    it(`${name}: the redesigned FIR filters are the official buffers`, () => {
      const { tensors } = reference(name);
      const architecture = readStyleGanXlArchitecture(`${FIXTURES}${name}.json`);
      let compared = 0;
      for (const spec of architecture.layers) {
        const { upTaps, downTaps } = resamplingOf(spec);
        for (const [kind, taps] of [
          ['up', upTaps],
          ['down', downTaps],
        ] as const) {
          const official = tensors.get(`filters.${spec.name}.${kind}`);
          assert.equal(taps === null, official === undefined, `${spec.name} ${kind}: identity in one only`);
          if (!taps || !official) continue;
          assert.equal(taps.length, official.values.length);
          const worst = taps.reduce((max, tap, i) => Math.max(max, Math.abs(tap - official.values[i]!)), 0);
          assert.ok(worst <= 1e-7, `${spec.name} ${kind}: max difference ${worst}`);
          compared++;
        }
      }
      assert.ok(compared >= architecture.layers.length, `only ${compared} filters compared`);
    });
  }
});

for (const backend of TEST_BACKENDS) {
  for (const name of CONFIGS) {
    describe(`StyleGAN-XL ${name} vs the official code (${backend})`, () => {
      let generator: StyleGanXlGenerator;
      const ref = reference(name);
      before(async () => {
        await initTensorBackend(backend, () => {});
        generator = loadStyleGanXl({ architecture: `${FIXTURES}${name}.json`, weights: `${FIXTURES}${name}.safetensors` });
      });

      it('maps z (and the class) to ws, with and without truncation towards w_avg', (t) => {
        const z = ref.tensor('z') as tf.Tensor2D;
        const c = ref.tensors.has('c') ? (ref.tensor('c') as tf.Tensor2D) : null;
        const mapped = generator.mapping.map(z, c);
        const truncated = generator.mapping.map(z, c, ref.truncation);
        const errors = [assertClose(mapped, ref.tensor('mapped'), 'mapped'), assertClose(truncated, ref.tensor('truncated'), 'truncated')];
        t.diagnostic(`relative errors: mapped ${errors[0]!.toExponential(2)}, truncated ${errors[1]!.toExponential(2)}`);
        // The truncated layers moved, the others did not: truncation is exercised and its cutoff respected.
        const moved = tf.cast(tf.any(tf.greater(tf.abs(tf.sub(mapped, truncated)), 1e-3), 2), 'int32').arraySync() as number[][];
        const expected = Array.from({ length: generator.numWs }, (_, i) => (i < ref.truncation.cutoff ? 1 : 0));
        for (const row of moved) assert.deepEqual(row, expected);
        tf.dispose([z, c, mapped, truncated].filter((x) => x !== null));
      });

      it('synthesizes the same images from every layer’s own w, and the same gradient w.r.t. ws (1e-4)', (t) => {
        const ws = ref.tensor('ws') as tf.Tensor3D;
        const weights = nhwc(ref.tensor('loss_weights'));
        const images = generator.synthesizeWs(ws);
        const imageError = assertClose(images, nhwc(ref.tensor('images')), 'images');
        const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(generator.synthesizeWs(x as tf.Tensor3D), weights)))(ws);
        const gradientError = assertClose(gradient, ref.tensor('grad_ws'), 'd loss / d ws');
        t.diagnostic(`relative errors: images ${imageError.toExponential(2)}, gradient ${gradientError.toExponential(2)}`);
        tf.dispose([ws, weights, images, gradient]);
      });

      it('broadcasts one w per image to all layers, with the same gradient w.r.t. w (1e-4)', async (t) => {
        const w = ref.tensor('w') as tf.Tensor2D;
        const weights = nhwc(ref.tensor('loss_weights'));
        const expected = nhwc(ref.tensor('images_w'));
        const images = generator.synthesize(w);
        const imageError = assertClose(images, expected, 'images_w');
        const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(generator.synthesize(x as tf.Tensor2D), weights)))(w);
        const gradientError = assertClose(gradient, ref.tensor('grad_w'), 'd loss / d w');
        t.diagnostic(`relative errors: images ${imageError.toExponential(2)}, gradient ${gradientError.toExponential(2)}`);
        const generated = await generator.generate(w);
        const clamped = tf.clipByValue(expected, -1, 1);
        assertClose(generated, clamped, 'generate (clamped to [-1, 1])');
        assert.ok(tf.max(expected).dataSync()[0]! > 1 || tf.min(expected).dataSync()[0]! < -1, 'the clamp is exercised');
        tf.dispose([w, weights, expected, images, gradient, generated, clamped]);
      });
    });
  }
}
