/**
 * `pam run` rides out a long Temporal server outage: the server SIGKILLed mid-run and restarted on the same
 * SQLite file and port a minute later (longer than the client's own gRPC retry, about 15 s, bridges). The run
 * says when the server went and came back, its in-process worker carries on, and it completes with exit 0.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestWorld, waitFor, type TestWorld } from '../support/test-world.js';
import { snapshot } from '../../src/cli/progress-view.js';
import { tinyPipeline } from './pipelines.js';

const OUTAGE_MS = 60_000;

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

test('pam run follows through a 60 s server outage and completes', { timeout: 300_000 }, async (t) => {
  const file = world.writePipeline('outage.yaml', tinyPipeline('outage', { epochs: 30 }));
  const run = world.spawnPam(['run', file]);
  // A failed check must not leave `pam run` behind.
  t.after(() => run.child.kill('SIGKILL'));
  await waitFor('the train stage running', async () => {
    const snap = await snapshot(world.client.workflow.getHandle('pam-experiment-outage'));
    return snap.live.has('train') ? true : undefined;
  });
  const { pid } = JSON.parse(readFileSync(path.join(world.home, 'temporal', 'server.json'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');
  await waitFor('the outage line', async () => (/server unreachable since \d\d:\d\d:\d\d, retrying/.test(run.out()) ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await world.restartServer();
  assert.equal(await run.exited, 0, run.out());
  const back = /server back after (\d+) s/.exec(run.out());
  assert.ok(back, run.out());
  assert.ok(Number(back[1]) >= OUTAGE_MS / 1000, `outage reported as ${back[1]} s`);
  assert.match(run.out(), /completed: 3 stages/);
});
