/**
 * The fMRI pool on the shared runtime (src/threads/): a pool thread that exits mid-task, or a cancelled pool,
 * settles with a typed error. Exits are injected with PAM_THREAD_FAULT (src/threads/thread-faults.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignAreaCost, type AlignAreaTask, type AlignedArea } from '../../src/fmri/align-area.js';
import { ThreadCancelledError, ThreadExitError } from '../../src/errors/pipeline-errors.js';
import { Rng } from '../../src/random/rng.js';
import { runInWorkers } from '../../src/threads/thread-pool.js';
import { settledError } from '../threads/settled-error.js';

const WORKER = new URL('../../src/fmri/align-area-worker.ts', import.meta.url);

function task(area: string, seed: number): AlignAreaTask {
  const rng = new Rng(seed);
  const block = (rows: number, cols: number) => ({ rows, cols, data: Float64Array.from(rng.normals(rows * cols)) });
  return { area, train: [block(30, 6), block(30, 7)], test: [block(4, 6), block(4, 7)], labels: ['a', 'b'], zscoreDdof: 1 };
}

const align = (signal?: AbortSignal) =>
  runInWorkers<AlignAreaTask, AlignedArea>(WORKER, [task('V1', 1), task('V4', 2), task('IT', 3)], {
    threads: 2,
    cost: alignAreaCost,
    taskLabel: (t) => `area ${t.area}`,
    ...(signal ? { signal } : {}),
  });

for (const code of [0, 1]) {
  test(`a pool thread that calls process.exit(${code}) mid-task settles the pool with ThreadExitError`, async () => {
    process.env['PAM_THREAD_FAULT'] = `align-area-worker=exit${code}`;
    try {
      const error = await settledError(align(), 10_000);
      assert.ok(error instanceof ThreadExitError);
      assert.equal(error.retryable, true);
      assert.match(error.message, new RegExp(`^thread align-area-worker#[12] exited with code ${code} before answering area (V1|V4|IT)$`));
    } finally {
      delete process.env['PAM_THREAD_FAULT'];
    }
  });
}

test('a cancelled pool settles with ThreadCancelledError', async () => {
  const abort = new AbortController();
  const running = align(abort.signal);
  abort.abort(new Error('stage cancelled'));
  const error = await settledError(running, 10_000);
  assert.ok(error instanceof ThreadCancelledError);
  assert.equal(error.message, 'thread align-area-worker cancelled: stage cancelled');
});
