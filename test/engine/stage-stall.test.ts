/**
 * The silence watch (src/engine/stage-heartbeats.ts): a compute thread that sends no progress and no log line for
 * longer than its stage's `maxSilenceSeconds` stops getting keep-alive heartbeats, is terminated, and fails the
 * attempt with a retryable StageStalledError naming the stage, the silence and the last progress message. The
 * wedged thread is PAM_THREAD_FAULT's `hang` (src/threads/thread-faults.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { StageStalledError } from '../../src/errors/pipeline-errors.js';
import { executeStage } from '../../src/engine/execute-stage.js';
import { stageFailureOf } from '../../src/engine/stage-failure.js';
import { computeRequest, fakePorts, tempEngine, tinyWorldRequest } from './engine-fixtures.js';

test('a wedged compute thread fails as StageStalledError soon after maxSilenceSeconds, and its heartbeats stop', async () => {
  const engine = tempEngine();
  const request = { ...(await computeRequest(engine, tinyWorldRequest())), maxSilenceSeconds: 3 };
  const previous = { stageId: 'data', fraction: 0.25, message: 'simulated area IT (1/4)' };
  const { ports, heartbeats } = fakePorts({ runId: 'run-1', attempt: 2 }, previous);
  process.env['PAM_THREAD_FAULT'] = 'stage:synthesize-b2g=hang';
  const startedAt = Date.now();
  let error: unknown;
  try {
    await executeStage(engine, request, ports);
  } catch (caught) {
    error = caught;
  } finally {
    delete process.env['PAM_THREAD_FAULT'];
  }
  const seconds = (Date.now() - startedAt) / 1000;
  assert.ok(error instanceof StageStalledError, `expected StageStalledError, got ${String(error)}`);
  assert.equal(error.retryable, true);
  assert.match(
    error.message,
    /^data \(synthesize-b2g\): its compute thread sent no progress or log line for 3(\.\d)? s \(maxSilenceSeconds 3\); last progress "simulated area IT \(1\/4\)" at 25%/,
  );
  assert.deepEqual(
    (({ stage, maxSilenceSeconds, lastProgress }) => ({ stage, maxSilenceSeconds, lastProgress }))(
      error.details as Record<string, unknown>,
    ),
    { stage: 'data (synthesize-b2g)', maxSilenceSeconds: 3, lastProgress: 'simulated area IT (1/4)' },
  );
  const failure = stageFailureOf('data', error);
  assert.deepEqual([failure.type, failure.nonRetryable], ['StageStalledError', false]);
  // 3 s of silence, then the runtime's 5 s grace before it terminates a thread that ignores the abort.
  assert.ok(seconds >= 3 && seconds < 12, `settled after ${seconds} s`);
  // The first heartbeat and one keep-alive (at 2 s); none after the stall at 3 s although the grace ran on.
  assert.equal(heartbeats.length, 2, JSON.stringify(heartbeats));
  const staging = path.join(engine.store.root, 'artifacts', '.staging');
  assert.deepEqual(existsSync(staging) ? readdirSync(staging) : [], [], 'the stalled attempt left no staging folder');
});
