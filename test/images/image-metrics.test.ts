/** Image metrics per item (batched), PNG encoding and the contact sheet. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';
import { contactSheet } from '../../src/evaluation/figures/contact-sheet.js';
import { computeImageMetrics, IMAGE_METRICS } from '../../src/evaluation/image-metrics.js';
import { loadFeatureNet, loadLpips } from '../../src/images/plugins/model-loader.js';
import { encodePng, toRgb8 } from '../../src/images/codecs/png.js';
import { parseSafetensors } from '../../src/images/codecs/safetensors.js';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url).pathname;
const reference = parseSafetensors(readFileSync(`${FIXTURES}vgg-lpips-reference.safetensors`), 'reference');
const widths = JSON.parse(reference.metadata.widths!) as number[];

for (const backend of TEST_BACKENDS) {
  describe(`image metrics (${backend})`, () => {
    before(async () => {
      await initTensorBackend(backend, () => {});
    });

    it('computes LPIPS and the five perceptual similarities per item, across batches, as the fixture', async () => {
      const featureNet = await loadFeatureNet({ kind: 'vgg16', widths, seed: 0, weights: `${FIXTURES}vgg16-standin.safetensors` });
      const lpips = loadLpips({ weights: `${FIXTURES}lpips-lin-standin.safetensors` }, widths);
      const batch = (name: string) => ({ pixels: reference.tensors.get(name)!.values, height: 32, width: 32 });
      const metrics = await computeImageMetrics({
        stimuli: batch('images_a'),
        reconstructions: batch('images_b'),
        featureNet,
        lpips,
        perceptualSize: Number(reference.metadata.perceptual_size),
        batchSize: 2,
      });
      assert.deepEqual(Object.keys(metrics), [...IMAGE_METRICS]);
      const expected = (name: string) => reference.tensors.get(name === 'lpips' ? 'lpips' : `perceptual.${name}`)!.values;
      for (const metric of IMAGE_METRICS) {
        metrics[metric]!.forEach((v, i) => {
          assert.ok(Math.abs(v - expected(metric)[i]!) < 1e-4, `${metric}[${i}]`);
        });
      }
      const same = await computeImageMetrics({
        stimuli: batch('images_a'),
        reconstructions: batch('images_a'),
        featureNet,
        lpips,
        perceptualSize: 32,
      });
      same.lpips!.forEach((v) => {
        assert.ok(Math.abs(v) < 1e-6);
      });
      same['vgg-13/16']!.forEach((v) => {
        assert.ok(Math.abs(v - 1) < 1e-5);
      });
    });

    it('encodes PNG: signature, IHDR, CRC-checked chunks and the exact pixels', () => {
      const values = Float32Array.from({ length: 2 * 3 * 3 }, (_, i) => (i / 17) * 2 - 1);
      const image = toRgb8(values, 2, 3);
      assert.deepEqual(Array.from(image.pixels.subarray(0, 3)), [0, 15, 30]);
      const png = Buffer.from(encodePng(image));
      assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
      assert.equal(png.toString('latin1', 12, 16), 'IHDR');
      assert.equal(png.readUInt32BE(16), 3);
      assert.equal(png.readUInt32BE(20), 2);
      const idatLength = png.readUInt32BE(33);
      assert.equal(png.toString('latin1', 37, 41), 'IDAT');
      const raw = inflateSync(png.subarray(41, 41 + idatLength));
      assert.deepEqual([...raw], [0, ...image.pixels.subarray(0, 9), 0, ...image.pixels.subarray(9)]);
      // CRC-32 of "IEND" (no data) is the well-known AE 42 60 82.
      assert.deepEqual([...png.subarray(png.length - 4)], [0xae, 0x42, 0x60, 0x82]);
    });

    it('tiles a contact sheet row by row with grey gaps', () => {
      const tile = (value: number) => ({ width: 2, height: 2, pixels: new Uint8Array(12).fill(value) });
      const sheet = contactSheet([
        { label: 'stimulus', images: [tile(10), tile(20)] },
        { label: 'PAM', images: [tile(30)] },
      ]);
      assert.equal(sheet.width, 2 * 2 + 3 * 2);
      assert.equal(sheet.height, 2 * 2 + 3 * 2);
      const at = (x: number, y: number) => sheet.pixels[(y * sheet.width + x) * 3];
      assert.equal(at(0, 0), 128);
      assert.equal(at(2, 2), 10);
      assert.equal(at(6, 2), 20);
      assert.equal(at(2, 6), 30);
      assert.equal(at(6, 6), 128);
    });
  });
}
