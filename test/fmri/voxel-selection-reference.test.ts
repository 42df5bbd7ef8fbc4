/** k-fold, λ grid, CV ridge correlations and voxel selection against make_voxel_selection_reference.py. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kFoldAssignment } from '../../src/fmri/kfold.js';
import { lambdaGrid, nestedRidgePredictions, prepareFolds } from '../../src/fmri/ridge-cv.js';
import { mostFrequentLambda, scoreVoxels } from '../../src/fmri/voxel-selection.js';
import type { Alternative } from '../../src/stats/student-t.js';
import { assertMatrixClose, matrixOf } from './matrix-assert.js';

interface Case {
  alternative: Alternative;
  lambda_count: number;
  lambdas: number[];
  fold_of: number[];
  fold_lambda: number[];
  loo_mse: number[][];
  r: number[];
  lambda: number;
  p: number[];
  q: number[];
  selected: number[];
}
const reference = JSON.parse(readFileSync(new URL('../../fixtures/fmri/voxel_selection_reference.json', import.meta.url), 'utf8')) as {
  latents: number[][];
  responses: number[][];
  cases: Case[];
};
const latents = matrixOf(reference.latents);
const responses = matrixOf(reference.responses);

test('KFold(10, shuffle=True, random_state=7) folds are reproduced from the seed alone', () => {
  assert.deepEqual([...kFoldAssignment(latents.rows, 10, 7)], reference.cases[0]!.fold_of);
  assert.throws(() => kFoldAssignment(9, 10, 7), /cannot split 9 samples into 10 folds/);
});

test('λ grid, per-fold RidgeCV LOO errors and λ, per-voxel r/p/q/selection match sklearn/scipy/statsmodels', () => {
  const bases = prepareFolds(latents, kFoldAssignment(latents.rows, 10, 7));
  for (const c of reference.cases) {
    const lambdas = lambdaGrid(latents, c.lambda_count);
    assertMatrixClose(lambdas, c.lambdas, 1e-10, 'λ grid');
    const nested = nestedRidgePredictions(bases, responses, lambdas, 'fixture');
    assertMatrixClose(nested.looMse, c.loo_mse.flat(), 1e-8, 'LOO mean squared error per fold and λ');
    // Grid values agree to ~1e-16 relative, not bit for bit, so the chosen λ are compared as grid positions.
    const position = (chosen: ArrayLike<number>, grid: ArrayLike<number>) =>
      Array.from(chosen, (l) => Array.prototype.indexOf.call(grid, l));
    const expectedPositions = position(c.fold_lambda, c.lambdas);
    assert.ok(!expectedPositions.includes(-1));
    assert.deepEqual(position(nested.foldLambda, lambdas), expectedPositions, 'λ chosen by RidgeCV in each training fold');
    const scores = scoreVoxels(bases, responses, lambdas, { alpha: 0.05, alternative: c.alternative, label: 'fixture' });
    assert.deepEqual(position(scores.foldLambda, lambdas), expectedPositions);
    assert.deepEqual(position([scores.lambda], lambdas), position([c.lambda], c.lambdas));
    assertMatrixClose(scores.r, c.r, 1e-8, 'r');
    c.p.forEach((p, v) => {
      assert.ok(Math.abs(scores.p[v]! - p) <= 1e-8 * p, `p[${v}] ${scores.p[v]} vs ${p}`);
    });
    c.q.forEach((q, v) => {
      assert.ok(Math.abs(scores.q[v]! - q) <= 1e-8 * q, `q[${v}] ${scores.q[v]} vs ${q}`);
    });
    assert.deepEqual([...scores.selected], c.selected);
    assert.ok(c.selected.slice(0, 12).filter(Boolean).length >= 8, 'the fixture should select planted voxels');
  }
  // The 10-λ case picks an interior λ that differs between folds (5 folds each way), so the per-fold choice and the
  // most-frequent tie rule are both exercised.
  assert.ok(new Set(reference.cases[0]!.fold_lambda).size > 1, 'the fixture should vary λ across folds');
});

test('most frequent λ: counts over the grid, ties keep the earlier (larger) grid value', () => {
  const grid = Float64Array.of(100, 10, 1);
  assert.equal(mostFrequentLambda(Float64Array.of(1, 10, 1), grid), 1);
  assert.equal(mostFrequentLambda(Float64Array.of(1, 10, 10, 1), grid), 10);
});
