/**
 * Where the BLAS/LAPACK binding is built, every other fMRI test runs on it; this one reruns the reference tests
 * (numpy/scikit-learn/statsmodels fixtures) on the JavaScript kernels, the path of a machine without OpenBLAS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../src/paths/project-paths.js';
import { nativeLinalg } from '../../src/linalg/native-linalg.js';

const REFERENCE_TESTS = ['test/fmri/hyperalign-reference.test.ts', 'test/fmri/voxel-selection-reference.test.ts'];

test('the fMRI reference tests hold on the JavaScript kernels too (PAM_LINALG=js)', {
  skip: !nativeLinalg() && 'no binding: they ran on JavaScript',
}, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...REFERENCE_TESTS], {
    cwd: projectRoot(),
    // Without NODE_TEST_CONTEXT the child reports in TAP to its stdout, not to this runner.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), PAM_LINALG: 'js' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^# fail 0$/m);
  assert.doesNotMatch(run.stdout, /^# pass 0$/m);
});
