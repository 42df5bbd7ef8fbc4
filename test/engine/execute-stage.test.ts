/**
 * The compute policy (`src/engine/execute-stage.ts`) on a real artifact store with real stages in compute threads;
 * only the Temporal activity context is faked (`engine-fixtures.ts`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KeyMismatchError } from '../../src/errors/pipeline-errors.js';
import { executeStage } from '../../src/engine/execute-stage.js';
import { nextHeartbeat } from '../../src/engine/stage-heartbeats.js';
import { stageFailureOf } from '../../src/engine/stage-failure.js';
import { computeRequest, failingEvaluateRequest, fakePorts, tempEngine, tinyWorldRequest } from './engine-fixtures.js';

const quarantined = (root: string): string[] => {
  const dir = path.join(root, 'artifacts', '.quarantine');
  return existsSync(dir) ? readdirSync(dir) : [];
};

test('an intact artifact under the key is returned without computing again', async () => {
  const engine = tempEngine();
  const request = await computeRequest(engine, tinyWorldRequest());
  const first = await executeStage(engine, request, fakePorts({ runId: 'run-1' }).ports);
  assert.deepEqual(Object.keys(first.rows).sort(), ['areas', 'test', 'train']);
  const again = fakePorts({ runId: 'run-2' });
  assert.deepEqual(await executeStage(engine, request, again.ports), first);
  assert.deepEqual(again.heartbeats, [], 'no compute, so no heartbeat');
  assert.equal(engine.store.readManifest(request.uses, request.key).producer.runId, 'run-1');
});

test('a forced recompute quarantines the intact artifact and commits a new one with this attempt as producer', async () => {
  const engine = tempEngine();
  await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), fakePorts({ runId: 'run-1' }).ports);
  const request = await computeRequest(engine, tinyWorldRequest({ force: true }));
  const forced = fakePorts({ runId: 'run-2', attempt: 1 });
  await executeStage(engine, request, forced.ports);
  assert.ok(forced.heartbeats.length > 0);
  const { producer } = engine.store.readManifest(request.uses, request.key);
  assert.deepEqual([producer.runId, producer.attempt, producer.experiment, producer.stageId], ['run-2', 1, 'policy', 'data']);
  assert.equal(quarantined(engine.store.root).length, 1);
  assert.equal((await engine.store.verify(request.uses, request.key)).status, 'intact');
});

test('a retried forced attempt keeps what an earlier attempt of the same run committed', async () => {
  const engine = tempEngine();
  const request = await computeRequest(engine, tinyWorldRequest({ force: true }));
  const committed = await executeStage(engine, request, fakePorts({ runId: 'run-1', attempt: 1 }).ports);
  const retried = fakePorts({ runId: 'run-1', attempt: 2 });
  assert.deepEqual(await executeStage(engine, request, retried.ports), committed);
  assert.deepEqual(retried.heartbeats, []);
  assert.equal(engine.store.readManifest(request.uses, request.key).producer.attempt, 1);
  assert.deepEqual(quarantined(engine.store.root), []);
});

test('a corrupt artifact under the key is quarantined, then recomputed', async () => {
  const engine = tempEngine();
  const request = await computeRequest(engine, tinyWorldRequest());
  const ref = await executeStage(engine, request, fakePorts({ runId: 'run-1' }).ports);
  writeFileSync(path.join(engine.store.artifactDir(ref.stage, ref.key), 'test.arrow'), 'truncated');
  assert.equal((await engine.store.verify(request.uses, request.key)).status, 'corrupt');
  const recomputed = await executeStage(engine, request, fakePorts({ runId: 'run-2' }).ports);
  assert.deepEqual(recomputed.rows, ref.rows);
  assert.equal((await engine.store.verify(request.uses, request.key)).status, 'intact');
  assert.equal(quarantined(engine.store.root).length, 1);
});

test('a failed attempt removes its staging folder and keeps checkpoints; a forced one wipes partial/ first', async () => {
  const engine = tempEngine();
  const dataset = await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), fakePorts({ runId: 'run-1' }).ports);
  const staging = path.join(engine.store.root, 'artifacts', '.staging');
  for (const force of [false, true]) {
    const request = await computeRequest(engine, failingEvaluateRequest(dataset, { force }));
    const partial = engine.store.partialDir(request.uses, request.key);
    mkdirSync(partial, { recursive: true });
    writeFileSync(path.join(partial, 'checkpoint.json'), '{}');
    await assert.rejects(executeStage(engine, request, fakePorts({ runId: 'run-1' }).ports), (error: Error) => {
      assert.equal(error.name, 'DataValidationError');
      assert.match(error.message, /has no table "predictions"/);
      assert.equal(stageFailureOf(request.stageId, error).nonRetryable, true);
      return true;
    });
    assert.deepEqual(readdirSync(staging), [], 'no staging folder is left behind');
    assert.equal(existsSync(path.join(partial, 'checkpoint.json')), !force, force ? 'forced: wiped' : 'kept for the retry');
    assert.equal((await engine.store.verify(request.uses, request.key)).status, 'missing');
  }
});

test("a retry starts from the previous attempt's heartbeat and keeps its checkpoint through reports without one", async () => {
  const engine = tempEngine();
  const previous = { stageId: 'data', fraction: 0.4, message: 'earlier attempt', checkpoint: { epoch: 3 } };
  const { ports, heartbeats } = fakePorts({ runId: 'run-1', attempt: 2 }, previous);
  await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), ports);
  assert.deepEqual(heartbeats[0], previous);
  assert.ok(heartbeats.length > 2);
  assert.ok(heartbeats.every((h) => h.stageId === 'data' && JSON.stringify(h.checkpoint) === '{"epoch":3}'));
  assert.deepEqual(heartbeats.at(-1), { ...previous, fraction: 1, message: 'wrote train, test and areas' });
});

test('a progress report replaces the checkpoint only when it carries one', () => {
  const last = { stageId: 'train', shard: { index: 1, count: 2 }, fraction: 0.5, message: 'epoch 5', checkpoint: { epoch: 5 } };
  assert.deepEqual(nextHeartbeat(last, { fraction: 0.6, message: 'epoch 6', checkpoint: undefined }), {
    ...last,
    fraction: 0.6,
    message: 'epoch 6',
  });
  assert.deepEqual(nextHeartbeat(last, { fraction: 0.7, message: 'epoch 7', checkpoint: { epoch: 7 } }).checkpoint, { epoch: 7 });
});

test('a request whose inputs hash to another key than the planned one is a non-retryable KeyMismatchError', async () => {
  const engine = tempEngine();
  const { ports, heartbeats } = fakePorts({ runId: 'run-1' });
  const request = { ...(await computeRequest(engine, tinyWorldRequest())), key: 'f'.repeat(64) };
  await assert.rejects(executeStage(engine, request, ports), (error: unknown) => {
    assert.ok(error instanceof KeyMismatchError);
    assert.match(error.message, /^key [0-9a-f]{64} differs from the planned f{64}$/);
    assert.deepEqual((({ type, nonRetryable }) => ({ type, nonRetryable }))(stageFailureOf('data', error)), {
      type: 'KeyMismatchError',
      nonRetryable: true,
    });
    return true;
  });
  assert.deepEqual(heartbeats, []);
  assert.equal(existsSync(path.join(engine.store.root, 'artifacts')), false, 'nothing was staged or committed');
});
