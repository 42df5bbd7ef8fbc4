/**
 * src/linalg: products, symmetric eigendecomposition and thin SVD, checked by identities on seeded matrices — on
 * the system's BLAS/LAPACK where its binding is built (src/linalg/native-linalg.ts) and on the JavaScript kernels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/random/rng.js';
import { type DenseMatrix, matmul, matmulTransposeA, matmulTransposeB, transpose } from '../../src/linalg/dense.js';
import { symmetricEigen, symmetricEigenvalues } from '../../src/linalg/symmetric-eigen.js';
import { singularValues, thinSvd } from '../../src/linalg/thin-svd.js';
import { nativeLinalg } from '../../src/linalg/native-linalg.js';
import { assertMatrixClose } from './matrix-assert.js';

const IMPLEMENTATIONS = nativeLinalg() ? (['openblas', 'javascript'] as const) : (['javascript'] as const);
type Implementation = (typeof IMPLEMENTATIONS)[number];

/** Run `body` on one implementation: `PAM_LINALG=js` is read at every call. */
function on<T>(implementation: Implementation, body: () => T): T {
  const saved = process.env['PAM_LINALG'];
  if (implementation === 'javascript') process.env['PAM_LINALG'] = 'js';
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env['PAM_LINALG'];
    else process.env['PAM_LINALG'] = saved;
  }
}

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

for (const implementation of IMPLEMENTATIONS) {
  test(`matmul, matmulTransposeA and matmulTransposeB (incl. odd sizes and the symmetric Gram) agree with a naive product — ${implementation}`, () =>
    on(implementation, () => {
      const a = random(7, 5, 1);
      const b = random(5, 9, 2);
      const c = random(9, 5, 3);
      assertMatrixClose(matmul(a, b).data, naiveProduct(a, b), 1e-14, 'A·B');
      assertMatrixClose(matmulTransposeA(transpose(a), b).data, naiveProduct(a, b), 1e-14, 'Aᵀ·B');
      assertMatrixClose(matmulTransposeB(a, c).data, naiveProduct(a, transpose(c)), 1e-14, 'A·Bᵀ');
      assertMatrixClose(matmulTransposeB(a, a).data, naiveProduct(a, transpose(a)), 1e-14, 'A·Aᵀ');
    }));
}

for (const implementation of IMPLEMENTATIONS) {
  test(`symmetricEigen: descending values, orthonormal vectors, S = V·Λ·Vᵀ — ${implementation}`, () =>
    on(implementation, () => {
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
    }));
}

for (const implementation of IMPLEMENTATIONS) {
  test(`thinSvd reconstructs wide, tall and rank-deficient matrices and drops null directions — ${implementation}`, () =>
    on(implementation, () => {
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
    }));
}

for (const implementation of IMPLEMENTATIONS) {
  test(`the values-only paths give the values of the full decompositions (exactly, in the JavaScript kernels) — ${implementation}`, () =>
    on(implementation, () => {
      const x = random(40, 30, 9);
      const s = matmulTransposeA(x, x);
      assertValuesAgree(symmetricEigenvalues(s), symmetricEigen(s).values, implementation);
      const lowRank = matmul(random(25, 3, 10), random(3, 12, 11));
      for (const a of [random(8, 20, 12), random(30, 6, 13), lowRank]) assertValuesAgree(singularValues(a), thinSvd(a).s, implementation);
    }));
}

/** LAPACK computes values without vectors by another route (dsterf, not dstedc): equal to rounding, not to the bit. */
function assertValuesAgree(valuesOnly: Float64Array, full: Float64Array, implementation: Implementation): void {
  if (implementation === 'javascript') assert.deepEqual(valuesOnly, full);
  else assertMatrixClose(valuesOnly, full, 1e-13, 'values');
}

test('both implementations agree on products, eigenvalues and eigenvectors (up to sign) of a Gram matrix', {
  skip: IMPLEMENTATIONS.length < 2,
}, () => {
  const x = random(60, 45, 14);
  const [lapack, javascript] = IMPLEMENTATIONS.map((implementation) =>
    on(implementation, () => ({ gram: matmulTransposeA(x, x), eigen: symmetricEigen(matmulTransposeA(x, x)) })),
  );
  assertMatrixClose(lapack!.gram.data, javascript!.gram.data, 1e-14, 'XᵀX');
  assertMatrixClose(lapack!.eigen.values, javascript!.eigen.values, 1e-12, 'eigenvalues');
  const n = 45;
  for (let k = 0; k < n; k++) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += lapack!.eigen.vectors.data[i * n + k]! * javascript!.eigen.vectors.data[i * n + k]!;
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `eigenvector ${k}: |cos| = ${Math.abs(dot)}`);
  }
});
