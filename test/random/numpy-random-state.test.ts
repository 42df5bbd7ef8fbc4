/**
 * src/random/numpy-random-state.ts against numpy's legacy RandomState (fixtures/random/numpy-randn.json, made by
 * scripts/fixtures/random/make_numpy_randn.py): randn bit for bit, including deep into the projectors' w_avg draw
 * RandomState(123).randn(10000, 64) and across the cached second variate of an odd-length draw, and permutation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Mt19937, NumpyRandomState } from '../../src/random/numpy-random-state.js';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/random/numpy-randn.json', import.meta.url), 'utf8')) as {
  seed123_head: number[];
  seed123_z64: { indices: number[]; values: number[]; sum: number };
  seed7_randn5_then_randn3: number[];
  seed0_permutation10: number[];
};

test('randn equals numpy RandomState(seed).randn exactly', () => {
  assert.deepEqual([...new NumpyRandomState(123).randn(24)], reference.seed123_head);
  const draw = new NumpyRandomState(123).randn(10000 * 64);
  assert.deepEqual(
    reference.seed123_z64.indices.map((i) => draw[i]),
    reference.seed123_z64.values,
  );
  const sum = draw.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - reference.seed123_z64.sum) < 1e-9, `sum ${sum} vs numpy ${reference.seed123_z64.sum}`);
});

test('an odd-length draw leaves the cached variate for the next one, as legacy_gauss does', () => {
  const rng = new NumpyRandomState(7);
  assert.deepEqual([...rng.randn(5), ...rng.randn(3)], reference.seed7_randn5_then_randn3);
});

test('permutation equals numpy RandomState(seed).permutation; bad seeds are refused', () => {
  assert.deepEqual([...new NumpyRandomState(0).permutation(10)], reference.seed0_permutation10);
  assert.throws(() => new Mt19937(-1), /MT19937 seed must be an integer/);
  assert.throws(() => new Mt19937(2 ** 32), /MT19937 seed must be an integer/);
});
