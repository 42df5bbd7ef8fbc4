/**
 * rowCosine at the sizes of real VGG16 pool1–pool3 maps against the float64 numpy cosine of
 * scripts/fixtures/images/make_cosine_accumulation.py, which documents the row generator reproduced here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { rowCosine } from '../../src/evaluation/perceptual-similarity.js';
import { TEST_BACKENDS } from '../support/backends.js';

interface Pair {
  pair: number;
  length: number;
  cosine: number;
  samples: { a: number[]; b: number[] };
}
const reference = JSON.parse(readFileSync(new URL('../../fixtures/images/cosine_accumulation.json', import.meta.url), 'utf8')) as {
  seed_mul: number;
  sample_step: number;
  pairs: Pair[];
};

function lowbias32(value: number): number {
  let x = value;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function rows(pair: number, length: number): [Float32Array, Float32Array] {
  const uniform = (stream: number, i: number) => lowbias32((Math.imul(reference.seed_mul, pair + 1) + 2 * i + stream) >>> 0) / 2 ** 32;
  const a = new Float32Array(length);
  const b = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    a[i] = Math.max(0, 2 * uniform(0, i) - 0.6);
    b[i] = Math.max(0, a[i]! + 0.5 * (uniform(1, i) - 0.5));
  }
  return [a, b];
}

const generated = reference.pairs.map((p) => ({ ...p, rows: rows(p.pair, p.length) }));

it('regenerates the fixture rows bit for bit', () => {
  for (const p of generated) {
    const step = reference.sample_step;
    assert.deepEqual(
      Array.from(p.samples.a, (_, k) => p.rows[0][k * step]),
      p.samples.a,
      `pair ${p.pair} row a`,
    );
    assert.deepEqual(
      Array.from(p.samples.b, (_, k) => p.rows[1][k * step]),
      p.samples.b,
      `pair ${p.pair} row b`,
    );
  }
});

for (const backend of TEST_BACKENDS) {
  describe(`rowCosine accumulates in float64 (${backend})`, () => {
    before(async () => {
      await initTensorBackend(backend, () => {});
    });

    it('matches numpy float64 to 1e-12 on 0.2–0.8 M-element rows', async () => {
      for (const p of generated) {
        // Two items per batch, the second the pair reversed, so that the row offsets are exercised too.
        const a = tf.tensor2d([...p.rows[0], ...p.rows[1]], [2, p.length]);
        const b = tf.tensor2d([...p.rows[1], ...p.rows[0]], [2, p.length]);
        const cosine = await rowCosine(a, b);
        tf.dispose([a, b]);
        for (const value of cosine) {
          assert.ok(Math.abs(value - p.cosine) <= 1e-12, `length ${p.length}: ${value} vs numpy ${p.cosine}`);
        }
      }
    });

    it('gives 0 for an all-zero map and rejects mismatched shapes', async () => {
      const zero = tf.zeros([1, 4, 4, 2]);
      const ones = tf.ones([1, 4, 4, 2]);
      assert.deepEqual([...(await rowCosine(zero, ones))], [0]);
      assert.deepEqual([...(await rowCosine(ones, ones))], [1]);
      await assert.rejects(rowCosine(ones, tf.ones([2, 4, 4, 2])), /shapes \[1,4,4,2\] and \[2,4,4,2\] differ/);
      tf.dispose([zero, ones]);
    });
  });
}
