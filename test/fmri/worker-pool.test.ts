/** Areas on worker threads: results in task order whatever the dispatch order, typed errors survive the thread. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignArea, alignAreaCost, type AlignAreaTask, type AlignedArea } from '../../src/fmri/align-area.js';
import { runInWorkers } from '../../src/threads/thread-pool.js';
import { DataValidationError } from '../../src/errors/pipeline-errors.js';
import { Rng } from '../../src/random/rng.js';

const WORKER = new URL('../../src/fmri/align-area-worker.ts', import.meta.url);

function task(area: string, voxels: number[], seed: number): AlignAreaTask {
  const rng = new Rng(seed);
  const block = (rows: number, cols: number) => ({ rows, cols, data: Float64Array.from(rng.normals(rows * cols)) });
  return { area, train: voxels.map((p) => block(30, p)), test: voxels.map((p) => block(4, p)), labels: ['a', 'b'], zscoreDdof: 1 };
}

test('runInWorkers returns each area in task order, equal to the in-thread computation', async () => {
  const tasks = [task('small', [5, 6], 1), task('large', [12, 14], 2), task('medium', [8, 9], 3)];
  const results = await runInWorkers<AlignAreaTask, AlignedArea>(WORKER, tasks, { threads: 2, cost: alignAreaCost });
  tasks.forEach((t, i) => {
    const expected = alignArea(t.train, t.test, t.labels, t.zscoreDdof);
    assert.equal(results[i]!.train.cols, expected.train.cols);
    assert.deepEqual(results[i]!.test.data, expected.test.data);
  });
});

test('keepResults: false hands each area to onResult only, its buffers moved out of the thread intact', async () => {
  const tasks = [task('small', [5, 6], 1), task('large', [12, 14], 2)];
  const expected = tasks.map((t) => alignArea(t.train, t.test, t.labels, t.zscoreDdof));
  const seen: AlignedArea[] = [];
  const returned = await runInWorkers<AlignAreaTask, AlignedArea>(WORKER, tasks, {
    threads: 2,
    keepResults: false,
    onResult: (i, aligned) => {
      seen[i] = aligned;
    },
  });
  assert.equal(returned.filter(Boolean).length, 0);
  expected.forEach((e, i) => {
    assert.deepEqual(seen[i]!.train.data, e.train.data);
    assert.deepEqual(seen[i]!.hyperalignment.mappers[1]!.cross.data, e.hyperalignment.mappers[1]!.cross.data);
  });
});

test('a DataValidationError raised inside a worker reaches the caller with its type and message', async () => {
  const bad = task('flat', [4, 5], 4);
  bad.train[1]!.data.fill(3);
  await assert.rejects(
    runInWorkers<AlignAreaTask, AlignedArea>(WORKER, [bad], { threads: 1 }),
    (error: unknown) => error instanceof DataValidationError && /b: data are constant over samples/.test(error.message),
  );
});
