/** k-fold, λ grid, CV ridge correlations and voxel selection against make_voxel_selection_reference.py. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kFoldAssignment } from '../../src/fmri/kfold.js';
import { crossValidatedCorrelations, lambdaGrid, prepareFolds } from '../../src/fmri/ridge-cv.js';
import { scoreVoxels } from '../../src/fmri/voxel-selection.js';
import type { Alternative } from '../../src/stats/student-t.js';
import { assertMatrixClose, matrixOf } from './matrix-assert.js';

interface Case {
  alternative: Alternative;
  lambda_count: number;
  lambdas: number[];
  fold_of: number[];
  r_all: number[][];
  r: number[];
  lambda: number[];
  p: number[];
  q: number[];
  selected: number[];
}
const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/fmri/voxel_selection_reference.json', import.meta.url), 'utf8'),
) as { latents: number[][]; responses: number[][]; cases: Case[] };
const latents = matrixOf(reference.latents);
const responses = matrixOf(reference.responses);

test('KFold(10, shuffle=True, random_state=7) folds are reproduced from the seed alone', () => {
  assert.deepEqual([...kFoldAssignment(latents.rows, 10, 7)], reference.cases[0]!.fold_of);
  assert.throws(() => kFoldAssignment(9, 10, 7), /cannot split 9 samples into 10 folds/);
});

test('λ grid, per-λ CV correlations and per-voxel r/p/q/selection match numpy/sklearn/scipy/statsmodels', () => {
  const bases = prepareFolds(latents, kFoldAssignment(latents.rows, 10, 7));
  for (const c of reference.cases) {
    const lambdas = lambdaGrid(latents, c.lambda_count);
    assertMatrixClose(lambdas, c.lambdas, 1e-10, 'λ grid');
    assertMatrixClose(crossValidatedCorrelations(bases, responses, lambdas, 'fixture'), c.r_all.flat(), 1e-8, 'r per λ');
    const scores = scoreVoxels(bases, responses, lambdas, { alpha: 0.05, alternative: c.alternative, label: 'fixture' });
    assertMatrixClose(scores.r, c.r, 1e-8, 'r');
    assertMatrixClose(scores.lambda, c.lambda, 1e-10, 'λ per voxel');
    c.p.forEach((p, v) => assert.ok(Math.abs(scores.p[v]! - p) <= 1e-8 * p, `p[${v}] ${scores.p[v]} vs ${p}`));
    c.q.forEach((q, v) => assert.ok(Math.abs(scores.q[v]! - q) <= 1e-8 * q, `q[${v}] ${scores.q[v]} vs ${q}`));
    assert.deepEqual([...scores.selected], c.selected);
    assert.ok(c.selected.slice(0, 12).filter(Boolean).length >= 8, 'the fixture should select planted voxels');
  }
});
