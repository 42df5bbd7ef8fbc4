/** k-fold, λ grids, CV ridge correlations and voxel selection against make_voxel_selection_reference.py. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kFoldAssignment } from '../../src/fmri/kfold.js';
import { type LambdaGridSource, lambdaGrid, nestedRidgePredictions, prepareFolds } from '../../src/fmri/ridge-cv.js';
import { scoreVoxels, summaryLambda } from '../../src/fmri/voxel-selection.js';
import type { Alternative } from '../../src/stats/student-t.js';
import { assertMatrixClose, matrixOf } from './matrix-assert.js';

interface Case {
  alternative: Alternative;
  lambda_count: number;
  lambda_grid: LambdaGridSource;
  /** folds × lambda_count: the grid of each fold. */
  lambdas: number[][];
  fold_of: number[];
  fold_lambda: number[];
  fold_position: number[];
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

test('λ grids, per-fold RidgeCV LOO errors and λ, per-voxel r/p/q/selection match sklearn/scipy/statsmodels', () => {
  const foldOf = kFoldAssignment(latents.rows, 10, 7);
  for (const c of reference.cases) {
    const what = `${c.lambda_grid} grid, ${c.lambda_count} λ, ${c.alternative}`;
    const bases = prepareFolds(latents, foldOf, c.lambda_count, c.lambda_grid);
    bases.folds.forEach((fold, f) => {
      assertMatrixClose(fold.lambdas, c.lambdas[f]!, 1e-10, `${what}: λ grid of fold ${f}`);
    });
    const nested = nestedRidgePredictions(bases, responses, 'fixture');
    assertMatrixClose(nested.looMse, c.loo_mse.flat(), 1e-8, `${what}: LOO mean squared error per fold and λ`);
    // Grid values agree to ~1e-16 relative, not bit for bit, so the chosen λ are compared as grid positions.
    assert.deepEqual([...nested.foldLambdaIndex], c.fold_position, `${what}: λ chosen by RidgeCV in each training fold`);
    assertMatrixClose(nested.foldLambda, c.fold_lambda, 1e-10, `${what}: chosen λ`);
    const scores = scoreVoxels(bases, responses, { alpha: 0.05, alternative: c.alternative, label: 'fixture' });
    assert.deepEqual([...scores.foldLambdaIndex], c.fold_position);
    assert.ok(Math.abs(scores.lambda - c.lambda) <= 1e-10 * c.lambda, `${what}: summary λ ${scores.lambda} vs ${c.lambda}`);
    assertMatrixClose(scores.r, c.r, 1e-8, `${what}: r`);
    c.p.forEach((p, v) => {
      assert.ok(Math.abs(scores.p[v]! - p) <= 1e-8 * p, `${what}: p[${v}] ${scores.p[v]} vs ${p}`);
    });
    c.q.forEach((q, v) => {
      assert.ok(Math.abs(scores.q[v]! - q) <= 1e-8 * q, `${what}: q[${v}] ${scores.q[v]} vs ${q}`);
    });
    assert.deepEqual([...scores.selected], c.selected, what);
    assert.ok(c.selected.slice(0, 12).filter(Boolean).length >= 8, 'the fixture should select planted voxels');
  }
  const [perFold, , global] = reference.cases as [Case, Case, Case];
  // Per fold, each grid comes from that fold's latents: the grids differ between folds, and from the global one.
  assert.ok(new Set(perFold.lambdas.map((grid) => grid[0])).size === perFold.lambdas.length, 'per-fold grids should differ');
  assert.ok(perFold.lambdas.every((grid) => grid[0] !== global.lambdas[0]![0]));
  // With the global grid the 10-λ case picks an interior λ that differs between folds (5 folds each way).
  assert.ok(new Set(global.fold_position).size > 1, 'the fixture should vary λ across folds');
});

test('the global grid is the grid of all training latents, in every fold', () => {
  const bases = prepareFolds(latents, kFoldAssignment(latents.rows, 10, 7), 10, 'global');
  const grid = lambdaGrid(latents, 10);
  for (const fold of bases.folds) assert.deepEqual(fold.lambdas, grid);
});

test('summary λ: the geometric mean of the folds’ λ, exactly λ when all folds agree', () => {
  assert.equal(summaryLambda(Float64Array.of(3.7, 3.7, 3.7)), 3.7);
  assert.ok(Math.abs(summaryLambda(Float64Array.of(1, 100)) - 10) < 1e-13);
});
