/**
 * The stage's compute thread on the shared runtime (src/threads/): a typed stage error keeps class, retryable,
 * message and the thread's stack (cause chains: test/threads/thread-runtime.test.ts); a thread that exits
 * mid-task or is cancelled settles with a typed error.
 * Thread exits are injected with PAM_THREAD_FAULT (src/threads/thread-faults.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataValidationError, InputDamagedError, ThreadCancelledError, ThreadExitError } from '../../src/errors/pipeline-errors.js';
import { runStageInThread } from '../../src/engine/run-stage-in-thread.js';
import { settledError } from '../threads/settled-error.js';

/** An evaluate stage whose inputs are folders with no artifact in them. */
function evaluateWithoutInputs(signal?: AbortSignal) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pam-stage-thread-'));
  return runStageInThread(
    {
      kind: 'evaluate',
      mode: 'run',
      params: { referenceDecoder: 'baseline' },
      seed: 0,
      inputDirs: { dataset: path.join(root, 'missing'), predictions: path.join(root, 'missing') },
      stagingDir: path.join(root, 'staging'),
      partialDir: path.join(root, 'partial'),
      resumeToken: undefined,
      backend: 'cpu',
      dataCacheDir: path.join(root, 'cache'),
      shard: null,
    },
    { onProgress: () => undefined, onLog: () => undefined, ...(signal ? { signal } : {}) },
  );
}

test('a typed stage error keeps its class, retryable flag, message and the thread stack across the hop', async () => {
  const error = await settledError(evaluateWithoutInputs(), 20_000);
  // A missing input is damage to it (the workflow recomputes that upstream stage): a non-retryable validation error.
  assert.ok(error instanceof InputDamagedError);
  assert.ok(error instanceof DataValidationError);
  assert.equal(error.retryable, false);
  assert.match(error.message, /input "dataset" .* is damaged: .*manifest\.json: unreadable manifest/);
  assert.match(error.message, /ENOENT/);
  assert.match(error.stack ?? '', /artifact-input\.ts/);
});

for (const code of [0, 1]) {
  test(`a stage thread that calls process.exit(${code}) mid-task settles with ThreadExitError`, async () => {
    process.env['PAM_THREAD_FAULT'] = `stage:evaluate=exit${code}`;
    try {
      const error = await settledError(evaluateWithoutInputs(), 10_000);
      assert.ok(error instanceof ThreadExitError);
      assert.equal(error.name, 'ThreadExitError');
      assert.equal(error.retryable, true);
      assert.equal(error.message, `thread stage:evaluate exited with code ${code} before answering its task`);
    } finally {
      delete process.env['PAM_THREAD_FAULT'];
    }
  });
}

test('a cancelled stage thread settles with ThreadCancelledError', async () => {
  const abort = new AbortController();
  const running = evaluateWithoutInputs(abort.signal);
  abort.abort(new Error('activity cancelled'));
  const error = await settledError(running, 20_000);
  assert.ok(error instanceof ThreadCancelledError);
  assert.equal(error.message, 'thread stage:evaluate cancelled: activity cancelled');
});
