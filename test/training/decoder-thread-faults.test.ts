/**
 * A decoder's thread on the shared runtime (src/threads/): a typed error keeps its class, and a thread that exits
 * mid-task or is cancelled settles with a typed error. Exits are injected with PAM_THREAD_FAULT
 * (src/threads/thread-faults.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ThreadCancelledError, ThreadExitError } from '../../src/errors/pipeline-errors.js';
import type { TensorBackendRequest } from '../../src/tensor/tf-backend.js';
import type { DecoderJob } from '../../src/training/decoder-job.js';
import { runDecoderJobInThread } from '../../src/training/run-job-in-thread.js';
import { settledError } from '../threads/settled-error.js';

/** A baseline decoder on 8 rows of 4 units (zeros: these tests never get far enough to learn anything). */
function tinyJob(backend: string): DecoderJob {
  return {
    name: 'baseline',
    backend: backend as TensorBackendRequest,
    architecture: { kind: 'baseline', inputUnits: 4, latentDim: 2 },
    train: { blocks: [new Float32Array(8 * 4)], widths: [4], targets: new Float32Array(8 * 2), latentDim: 2, rows: 8 },
    test: { blocks: [new Float32Array(2 * 4)], widths: [4], rows: 2 },
    options: {
      epochs: 50,
      batchSize: 4,
      learningRate: 0.01,
      seed: 1,
      validationFraction: 0,
      patience: 1,
      checkpointEveryEpochs: 1,
      checkpointDir: null,
    },
  };
}

const quiet = (signal?: AbortSignal) => ({
  onEpoch: () => undefined,
  onHeartbeat: () => undefined,
  onCheckpointDamaged: () => undefined,
  log: () => undefined,
  ...(signal ? { signal } : {}),
});

test('a ConfigError raised in the decoder thread arrives as a ConfigError', async () => {
  const error = await settledError(runDecoderJobInThread(tinyJob('bogus'), quiet()), 20_000);
  assert.ok(error instanceof ConfigError);
  assert.equal(error.retryable, false);
  assert.match(error.message, /unknown tensor backend "bogus"/);
});

for (const code of [0, 1]) {
  test(`a decoder thread that calls process.exit(${code}) mid-task settles with ThreadExitError`, async () => {
    process.env['PAM_THREAD_FAULT'] = `decoder:baseline=exit${code}`;
    try {
      const error = await settledError(runDecoderJobInThread(tinyJob('cpu'), quiet()), 10_000);
      assert.ok(error instanceof ThreadExitError);
      assert.equal(error.retryable, true);
      assert.equal(error.message, `thread decoder:baseline exited with code ${code} before answering its task`);
    } finally {
      delete process.env['PAM_THREAD_FAULT'];
    }
  });
}

test('a cancelled decoder thread settles with ThreadCancelledError naming the reason', async () => {
  const abort = new AbortController();
  const running = runDecoderJobInThread(tinyJob('cpu'), quiet(abort.signal));
  abort.abort(new Error('sibling failed'));
  const error = await settledError(running, 20_000);
  assert.ok(error instanceof ThreadCancelledError);
  assert.equal(error.message, 'thread decoder:baseline cancelled: sibling failed');
});
