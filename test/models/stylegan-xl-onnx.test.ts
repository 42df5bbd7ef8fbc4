/**
 * The ONNX export of StyleGAN-XL's synthesis network (scripts/convert_stylegan_xl.py `export_onnx`, run on the
 * fixture networks by scripts/fixtures/stylegan-xl/make_stylegan_xl.py) through the `onnx` generator plug-in
 * (onnxruntime-node): it renders what the official code renders, what the tfjs port renders, and the evaluate stage
 * scores its reconstructions as it scores the port's (docs/stylegan-xl.md §4).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { parseSafetensors } from '../../src/images/codecs/safetensors.js';
import { loadGenerator } from '../../src/images/plugins/model-loader.js';
import type { GeneratorRef } from '../../src/images/plugins/model-refs.js';
import { Rng } from '../../src/random/rng.js';
import { runner } from '../../src/stages/evaluate/runner.js';
import { spec } from '../../src/stages/evaluate/spec.js';
import { buildTable, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';
import { inputArtifact, stageContext, writtenTable } from '../support/stage-context.js';

const FIXTURES = new URL('../../fixtures/stylegan-xl/', import.meta.url).pathname;
const TOLERANCE = 1e-4;

function reference(name: string) {
  const path = `${FIXTURES}${name}-reference.safetensors`;
  const { tensors } = parseSafetensors(readFileSync(path), path);
  const tensor = (key: string) => {
    const t = tensors.get(key);
    assert.ok(t, `${path}: no tensor ${key}`);
    return t;
  };
  const w = tensor('w');
  const images = tensor('images_w');
  const [n, c, h, width] = images.shape as [number, number, number, number];
  return {
    w: Float32Array.from(w.values),
    wDim: w.shape[1]!,
    resolution: h,
    /** The official images from one w per image, NHWC and clamped to [-1, 1] as `generate` returns them. */
    clamped: () =>
      tf.tidy(() => tf.clipByValue(tf.transpose(tf.tensor4d(Float32Array.from(images.values), [n, c, h, width]), [0, 2, 3, 1]), -1, 1)),
  };
}

function refs(name: string, wDim: number, resolution: number): { onnx: GeneratorRef; port: GeneratorRef } {
  return {
    onnx: { kind: 'onnx', weights: `${FIXTURES}${name}.onnx`, latentDim: wDim, resolution },
    port: {
      kind: 'stylegan-xl',
      weights: `${FIXTURES}${name}.safetensors`,
      architecture: `${FIXTURES}${name}.json`,
      latentDim: wDim,
      resolution,
    },
  };
}

/** Max abs difference relative to the larger of the two images' largest magnitude. */
function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  assert.deepEqual(actual.shape, expected.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]! / tf.max(tf.abs(expected)).dataSync()[0]!);
}

for (const backend of TEST_BACKENDS) {
  describe(`StyleGAN-XL as ONNX (port on ${backend})`, () => {
    before(async () => {
      await initTensorBackend(backend, () => {});
    });

    for (const name of ['conditional', 'affine'] as const) {
      it(`${name}: renders the official images and the tfjs port's (1e-4)`, async (t) => {
        const ref = reference(name);
        const { onnx, port } = refs(name, ref.wDim, ref.resolution);
        const [onnxGenerator, portGenerator] = [await loadGenerator(onnx), await loadGenerator(port)];
        const w = tf.tensor2d(ref.w, [ref.w.length / ref.wDim, ref.wDim]);
        const [fromOnnx, fromPort, official] = [await onnxGenerator.generate(w), await portGenerator.generate(w), ref.clamped()];
        const vsOfficial = relativeError(fromOnnx, official);
        const vsPort = relativeError(fromOnnx, fromPort);
        t.diagnostic(`relative errors: vs official ${vsOfficial.toExponential(2)}, vs tfjs port ${vsPort.toExponential(2)}`);
        assert.ok(vsOfficial < TOLERANCE, `vs official: ${vsOfficial}`);
        assert.ok(vsPort < TOLERANCE, `vs tfjs port: ${vsPort}`);
        assert.ok(tf.max(official).dataSync()[0] === 1 || tf.min(official).dataSync()[0] === -1, 'the clamp is exercised');
        tf.dispose([w, fromOnnx, fromPort, official]);
        onnxGenerator.dispose();
        portGenerator.dispose();
      });
    }

    it('evaluate scores the ONNX generator’s reconstructions as it scores the port’s (1e-4)', async (t) => {
      const ref = reference('affine');
      const { wDim, resolution } = ref;
      const items = 6;
      const rng = new Rng(5);
      const ids = Array.from({ length: items }, (_, i) => `te-${i}`);
      // Latents near the fixture's w (the network's typical range): truth, and two decoders' noisy predictions.
      const truth = Float32Array.from({ length: items * wDim }, (_, i) => ref.w[i % ref.w.length]! + 0.5 * rng.normal());
      const noisy = (scale: number) => truth.map((v) => v + scale * rng.normal());
      const dataset = await inputArtifact('data', {
        test: buildTable({ item_id: { kind: 'utf8', values: ids }, latent: { kind: 'float32-vector', width: wDim, values: truth } }),
      });
      const predictions = await inputArtifact('train', {
        predictions: buildTable({
          decoder: { kind: 'utf8', values: [...ids.map(() => 'baseline'), ...ids.map(() => 'pam')] },
          item_id: { kind: 'utf8', values: [...ids, ...ids] },
          latent: { kind: 'float32-vector', width: wDim, values: Float32Array.from([...noisy(1.0), ...noisy(0.3)]) },
        }),
        values: buildTable({
          item_id: { kind: 'utf8', values: ids },
          area: { kind: 'utf8', values: ids.map(() => 'IT') },
          value: { kind: 'float32-vector', width: wDim, values: noisy(0.6) },
        }),
      });
      const evaluate = async (generator: GeneratorRef) => {
        const params = spec.params.parse({ generator, perceptualSize: resolution, contactItems: 3 });
        const ctx = stageContext({ params, backend, inputs: { dataset, predictions } });
        await runner.run(ctx);
        const results = writtenTable(ctx, 'results');
        const decoder = readStrings(results, 'decoder');
        const metric = readStrings(results, 'metric');
        const mean = readNumbers(results, 'mean');
        return new Map(decoder.map((d, i) => [`${d} ${metric[i]}`, mean[i]!]));
      };
      const { onnx, port } = refs('affine', wDim, resolution);
      const [fromOnnx, fromPort] = [await evaluate(onnx), await evaluate(port)];
      assert.deepEqual([...fromOnnx.keys()].sort(), [...fromPort.keys()].sort());
      assert.ok(fromPort.has('pam lpips') && fromPort.has('baseline vgg-13/16'), [...fromPort.keys()].join(', '));
      let largest = 0;
      for (const [row, value] of fromPort) {
        const difference = Math.abs(fromOnnx.get(row)! - value);
        largest = Math.max(largest, difference);
        assert.ok(difference <= TOLERANCE * Math.max(1, Math.abs(value)), `${row}: onnx ${fromOnnx.get(row)} vs port ${value}`);
      }
      t.diagnostic(`${fromPort.size} metric means, largest difference ${largest.toExponential(2)}`);
    });
  });
}
