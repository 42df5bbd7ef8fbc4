/**
 * Leftovers of dead attempts (src/store/leftovers.ts): staging folders and temporary files whose owner — host, pid
 * and process start in their names (src/store/owner-tag.ts) — is gone are removed; a live owner's are kept, so are
 * another host's unless older than FOREIGN_AGE_MS. Before a stage computes, the engine sweeps its own key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executeStage } from '../../src/engine/execute-stage.js';
import { ArtifactStore } from '../../src/store/artifact-store.js';
import { FOREIGN_AGE_MS, removeLeftovers } from '../../src/store/leftovers.js';
import { ownedName, ownerOfProcess, parseOwnedName, type Owner } from '../../src/store/owner-tag.js';
import { computeRequest, fakePorts, tempEngine, tinyWorldRequest } from '../engine/engine-fixtures.js';

const nameOf = (prefix: string, { host, pid, start }: Owner): string => [prefix, host, pid, start, 'abcd1234'].join('~');

/** A process of this host that has exited, as the owner it was recorded as while it ran. */
async function deadOwner(): Promise<Owner> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
  const owner = ownerOfProcess(child.pid!);
  await new Promise((resolve) => child.once('exit', resolve));
  return owner;
}

function liveChild() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  return { owner: ownerOfProcess(child.pid!), stop: () => child.kill('SIGKILL') };
}

test('an owned name parses back to its prefix and this process', () => {
  const name = ownedName('train-0123456789abcdef');
  const parsed = parseOwnedName(name);
  assert.equal(parsed?.prefix, 'train-0123456789abcdef');
  assert.deepEqual(parsed?.owner, ownerOfProcess(process.pid));
  assert.equal(parseOwnedName('train-0123456789abcdef-4242-deadbeef'), null, 'the old format names no owner');
});

test("a dead owner's staging folders and temporary files are removed; a live one's and a recent foreign host's are kept", async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-leftovers-')));
  const dead = await deadOwner();
  const live = liveChild();
  try {
    const reused = { ...live.owner, start: String(Number(live.owner.start) + 1) };
    const foreign: Owner = { host: 'elsewhere.example', pid: 1, start: '5' };
    const staging = (owner: Owner, stage = 'train') =>
      path.join(store.stagingRoot(), nameOf(store.stagingPrefix(stage, 'f'.repeat(64)), owner));
    const partial = store.partialDir('train', 'f'.repeat(64));
    const temporary = (file: string, owner: Owner) => path.join(partial, 'baseline', nameOf(`${file}.tmp`, owner));
    const oldForeign = staging(foreign, 'evaluate');
    const record = path.join(store.root, 'experiments', 'demo', 'keys', nameOf('train.json.tmp', dead));
    const legacyOld = path.join(store.stagingRoot(), 'select-voxels-0123456789abcdef-4242-deadbeef');
    const expectRemoved = [staging(dead), staging(reused), temporary('tensors.bin', dead), record, oldForeign, legacyOld];
    const expectKept = [
      staging(live.owner),
      staging(foreign),
      temporary('state.json', live.owner),
      staging(ownerOfProcess(process.pid), 'hyperalign'),
    ];
    const checkpoint = path.join(partial, 'baseline', 'state.json');
    for (const dir of [...expectRemoved, ...expectKept].filter((p) => !p.includes('.tmp~'))) mkdirSync(dir, { recursive: true });
    for (const file of [...expectRemoved, ...expectKept, checkpoint].filter((p) => p.includes('.tmp~') || p === checkpoint)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, 'x');
    }
    const longAgo = (Date.now() - FOREIGN_AGE_MS - 60_000) / 1000;
    for (const old of [oldForeign, legacyOld]) utimesSync(old, longAgo, longAgo);

    const removed = removeLeftovers(store);
    assert.deepEqual([...removed].sort(), [...expectRemoved].sort());
    for (const kept of [...expectKept, checkpoint]) assert.ok(existsSync(kept), `kept ${kept}`);
  } finally {
    live.stop();
  }
});

test("before computing, a stage's own dead attempts are swept: another process's, and this one's when idle", async () => {
  const engine = tempEngine();
  const request = await computeRequest(engine, tinyWorldRequest());
  const prefix = engine.store.stagingPrefix(request.uses, request.key);
  const dead = await deadOwner();
  const deadStaging = path.join(engine.store.stagingRoot(), nameOf(prefix, dead));
  const ownStaging = path.join(engine.store.stagingRoot(), ownedName(prefix));
  const otherKey = path.join(engine.store.stagingRoot(), nameOf(engine.store.stagingPrefix('train', 'e'.repeat(64)), dead));
  for (const dir of [deadStaging, ownStaging, otherKey]) mkdirSync(dir, { recursive: true });
  await executeStage(engine, request, fakePorts({ runId: 'run-1' }).ports);
  assert.deepEqual(
    readdirSync(engine.store.stagingRoot()),
    [path.basename(otherKey)],
    'only another key’s leftover is left for the worker-start sweep',
  );
  assert.equal((await engine.store.verify(request.uses, request.key)).status, 'intact');
});
