/** Heartbeat details read back from Temporal are parsed, never cast (src/engine/heartbeat-details.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStageHeartbeat, previousHeartbeatOf } from '../../src/engine/heartbeat-details.js';

function recordingLog() {
  const warnings: string[] = [];
  return { warnings, log: { info: () => undefined, warn: (message: string) => void warnings.push(message) } };
}

test("a valid heartbeat is kept, with fields a newer worker added and its stage's own checkpoint", () => {
  const { log, warnings } = recordingLog();
  const details = { stageId: 'train', fraction: 0.5, message: 'pam epoch 3/6', checkpoint: { pam: 3 }, addedLater: 1 };
  assert.deepEqual(previousHeartbeatOf(details, { stageId: 'train' }, log), details);
  assert.deepEqual(warnings, []);
});

test('no previous heartbeat is no warning', () => {
  const { log, warnings } = recordingLog();
  assert.equal(previousHeartbeatOf(undefined, { stageId: 'train' }, log), undefined);
  assert.deepEqual(warnings, []);
});

test("another stage's or another shard's heartbeat, or a damaged one, is ignored with a warning", () => {
  const cases: [unknown, RegExp][] = [
    [{ stageId: 'data', fraction: 1, message: 'x' }, /it is stage data's/],
    [{ stageId: 'train', fraction: 1, message: 'x', shard: { index: 1, count: 2 } }, /it is shard 1's/],
    [{ stageId: 'train', fraction: 'half', message: 'x' }, /fraction: Expected number/],
    ['garbage', /\(top level\): Expected object/],
  ];
  for (const [details, pattern] of cases) {
    const { log, warnings } = recordingLog();
    assert.equal(previousHeartbeatOf(details, { stageId: 'train' }, log), undefined);
    assert.match(warnings.join('\n'), pattern);
    assert.match(warnings.join('\n'), /resuming from the checkpoints on disk/);
  }
});

test('the progress view reads the same schema: a fraction above 1 is not a heartbeat', () => {
  assert.equal(parseStageHeartbeat({ stageId: 'train', fraction: 1.5, message: 'x' }).ok, false);
});

test('per-part progress is read when valid; damaged parts drop only the parts, and a heartbeat without parts still reads', () => {
  const parts = { baseline: { fraction: 0.9, message: 'epoch 27/30 batch 3/125' }, pam: { fraction: 0.2, message: 'epoch 6/30 loss 0.4' } };
  const good = parseStageHeartbeat({ stageId: 'train', fraction: 0.55, message: 'pam epoch 6/30', parts });
  assert.ok(good.ok);
  assert.deepEqual(good.heartbeat.parts, parts);
  const damaged = parseStageHeartbeat({
    stageId: 'train',
    fraction: 0.55,
    message: 'x',
    checkpoint: { pam: 6 },
    parts: { pam: { fraction: 3 } },
  });
  assert.ok(damaged.ok);
  assert.equal(damaged.heartbeat.parts, undefined);
  assert.deepEqual(damaged.heartbeat.checkpoint, { pam: 6 });
  const older = parseStageHeartbeat({ stageId: 'train', fraction: 0.5, message: 'baseline epoch 28 batch 63/125' });
  assert.ok(older.ok && older.heartbeat.parts === undefined);
});
