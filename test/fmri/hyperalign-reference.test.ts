/** Procrustes and three-level hyperalignment against scripts/fixtures/fmri/make_hyperalign_reference.py. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fitProcrustes, forward, prepareSource, projection } from '../../src/fmri/procrustes.js';
import { alignArea } from '../../src/fmri/align-area.js';
import { hyperalign } from '../../src/fmri/hyperalignment.js';
import { assertMatrixClose, matrixOf } from './matrix-assert.js';

interface Reference {
  subjects: { train: number[][]; test: number[][] }[];
  procrustes: { source: number; target: number; proj: number[][]; forward_test: number[][] }[];
  reference: number;
  common: number[][];
  residuals: number[][];
  projections: number[][][];
  aligned_train: number[][];
  aligned_test: number[][];
}

const reference = JSON.parse(readFileSync(new URL('../../fixtures/fmri/hyperalign_reference.json', import.meta.url), 'utf8')) as Reference;
const train = reference.subjects.map((s) => matrixOf(s.train));
const test_ = reference.subjects.map((s) => matrixOf(s.test));

test('Procrustes matches PyMVPA semantics with source padding, target reduction and equal widths', () => {
  for (const pair of reference.procrustes) {
    const source = prepareSource(train[pair.source]!, 'source');
    const { mapper, projected } = fitProcrustes(source, train[pair.target]!, 'target');
    const label = `${pair.source}→${pair.target}`;
    // The cheap training projection equals the generic forward of the training data.
    assertMatrixClose(projected.data, forward(mapper, train[pair.source]!).data, 1e-12, `training forward ${label}`);
    assertMatrixClose(projection(mapper).data, pair.proj.flat(), 1e-8, `proj ${label}`);
    assertMatrixClose(forward(mapper, test_[pair.source]!).data, pair.forward_test.flat(), 1e-8, `forward ${label}`);
  }
});

test('three-level hyperalignment matches the numpy PyMVPA re-derivation', () => {
  const aligned = alignArea(train, test_, ['s0', 's1', 's2'], 1);
  const result = aligned.hyperalignment;
  assert.equal(result.reference, reference.reference);
  // The common space stays inside the fit (the stage keeps mappers and residuals only).
  assertMatrixClose(hyperalign(train, ['s0', 's1', 's2']).commonSpace.data, reference.common.flat(), 1e-8, 'common space');
  result.residuals.forEach((row, level) => {
    assertMatrixClose(row, reference.residuals[level]!, 1e-8, `residuals L${level + 1}`);
  });
  assert.equal(result.residuals[0]![result.reference], 0);
  result.mappers.forEach((mapper, i) => {
    assertMatrixClose(projection(mapper).data, reference.projections[i]!.flat(), 1e-8, `mapper ${i}`);
  });
  assertMatrixClose(aligned.train.data, reference.aligned_train.flat(), 1e-8, 'aligned train');
  assertMatrixClose(aligned.test.data, reference.aligned_test.flat(), 1e-8, 'aligned test');
});
