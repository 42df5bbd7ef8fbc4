/** src/linalg: products, symmetric eigendecomposition and thin SVD, checked by identities on seeded matrices. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/random/rng.js';
import { type DenseMatrix, matmul, matmulTransposeA, matmulTransposeB, transpose } from '../../src/linalg/dense.js';
import { symmetricEigen, symmetricEigenvalues } from '../../src/linalg/symmetric-eigen.js';
import { singularValues, thinSvd } from '../../src/linalg/thin-svd.js';
import { assertMatrixClose } from './matrix-assert.js';

function random(rows: number, cols: number, seed: number): DenseMatrix {
  return { rows, cols, data: Float64Array.from(new Rng(seed).normals(rows * cols)) };
}

function naiveProduct(a: DenseMatrix, b: DenseMatrix): Float64Array {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let sum = 0;
      for (let p = 0; p < a.cols; p++) sum += a.data[i * a.cols + p]! * b.data[p * b.cols + j]!;
      out[i * b.cols + j] = sum;
    }
  return out;
}

test('matmul, matmulTransposeA and matmulTransposeB (incl. odd sizes and the symmetric Gram) agree with a naive product', () => {
  const a = random(7, 5, 1);
  const b = random(5, 9, 2);
  const c = random(9, 5, 3);
  assertMatrixClose(matmul(a, b).data, naiveProduct(a, b), 1e-14, 'A·B');
  assertMatrixClose(matmulTransposeA(transpose(a), b).data, naiveProduct(a, b), 1e-14, 'Aᵀ·B');
  assertMatrixClose(matmulTransposeB(a, c).data, naiveProduct(a, transpose(c)), 1e-14, 'A·Bᵀ');
  assertMatrixClose(matmulTransposeB(a, a).data, naiveProduct(a, transpose(a)), 1e-14, 'A·Aᵀ');
});

test('symmetricEigen: descending values, orthonormal vectors, S = V·Λ·Vᵀ', () => {
  const x = random(40, 30, 4);
  const s = matmulTransposeA(x, x);
  const { values, vectors } = symmetricEigen(s);
  for (let k = 1; k < values.length; k++) assert.ok(values[k - 1]! >= values[k]!);
  assertMatrixClose(
    matmulTransposeA(vectors, vectors).data,
    Float64Array.from({ length: 900 }, (_, k) => (k % 31 === 0 ? 1 : 0)),
    1e-12,
    'VᵀV',
  );
  const scaled = { ...vectors, data: vectors.data.map((v, k) => v * values[k % 30]!) };
  assertMatrixClose(matmulTransposeB(scaled, vectors).data, s.data, 1e-12, 'VΛVᵀ');
});

test('thinSvd reconstructs wide, tall and rank-deficient matrices and drops null directions', () => {
  const lowRank = matmul(random(25, 3, 5), random(3, 12, 6));
  for (const [name, a, rank] of [
    ['wide', random(8, 20, 7), 8],
    ['tall', random(30, 6, 8), 6],
    ['rank 3', lowRank, 3],
  ] as const) {
    const { u, s, v } = thinSvd(a);
    assert.equal(s.length, rank, `${name}: rank`);
    const us = { ...u, data: u.data.map((x, k) => x * s[k % s.length]!) };
    assertMatrixClose(matmulTransposeB(us, v).data, a.data, 1e-10, `${name}: U·S·Vᵀ`);
  }
});

test('the values-only paths give exactly the values of the full decompositions', () => {
  const x = random(40, 30, 9);
  const s = matmulTransposeA(x, x);
  assert.deepEqual(symmetricEigenvalues(s), symmetricEigen(s).values);
  const lowRank = matmul(random(25, 3, 10), random(3, 12, 11));
  for (const a of [random(8, 20, 12), random(30, 6, 13), lowRank]) assert.deepEqual(singularValues(a), thinSvd(a).s);
});
