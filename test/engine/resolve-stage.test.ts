/** The cache-lookup policy (`src/engine/resolve-stage.ts`) on a real artifact store, with real stage computes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { executeStage } from '../../src/engine/execute-stage.js';
import { resolveStage } from '../../src/engine/resolve-stage.js';
import { computeRequest, fakePorts, tempEngine, tinyWorldRequest } from './engine-fixtures.js';

test('a committed intact artifact is a cache hit that returns its ref; a changed param says what changed', async () => {
  const engine = tempEngine();
  const { ports, warnings } = fakePorts({ runId: 'run-1' });
  const request = tinyWorldRequest();
  const first = await resolveStage(engine, request, ports.log);
  assert.equal(first.status, 'missing');
  assert.deepEqual(first.changes, []);
  assert.equal(first.shardCount, null);

  const ref = await executeStage(engine, await computeRequest(engine, request), ports);
  const hit = await resolveStage(engine, request, ports.log);
  assert.equal(hit.status, 'cached');
  assert.equal(hit.key, first.key);
  assert.deepEqual(hit.ref, ref);

  const changed = await resolveStage(engine, tinyWorldRequest({ params: { ...request.params, trainItems: 9 } }), ports.log);
  assert.equal(changed.status, 'missing');
  assert.deepEqual(changed.changes, ['params.trainItems: 8 → 9']);
  assert.deepEqual(warnings, []);
});

test('--force reports an intact artifact as forced, not cached', async () => {
  const engine = tempEngine();
  const { ports } = fakePorts({ runId: 'run-1' });
  await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), ports);
  const forced = await resolveStage(engine, tinyWorldRequest({ force: true }), ports.log);
  assert.equal(forced.status, 'forced');
  assert.equal(forced.ref, undefined);
  assert.deepEqual(forced.changes, ['forced (--force)']);
});

test('a corrupt artifact is quarantined, reported with the reason, and never used', async () => {
  const engine = tempEngine();
  const { ports, warnings } = fakePorts({ runId: 'run-1' });
  const request = tinyWorldRequest();
  const ref = await executeStage(engine, await computeRequest(engine, request), ports);
  writeFileSync(path.join(engine.store.artifactDir(ref.stage, ref.key), 'train.arrow'), 'not arrow');

  const resolved = await resolveStage(engine, request, ports.log);
  assert.equal(resolved.status, 'corrupt');
  assert.equal(resolved.ref, undefined);
  assert.match(resolved.corruption!, /train\.arrow: .* \(moved to .*\.quarantine/);
  assert.deepEqual(resolved.changes, ['same key as the last committed run, but its artifact is no longer intact']);
  assert.equal(existsSync(engine.store.artifactDir(ref.stage, ref.key)), false);
  assert.equal(readdirSync(path.join(engine.store.root, 'artifacts', '.quarantine')).length, 1);
  assert.match(warnings.join('\n'), /failed verification and was quarantined/);
});
