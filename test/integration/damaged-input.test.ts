/**
 * Damaged and vanished upstream artifacts against a real dev server: a byte of `data`'s test table flipped while
 * `train` runs is caught when `evaluate` opens it, `data` is recomputed and `evaluate` rerun, and the results equal a
 * clean run's; an upstream artifact deleted while the experiment is parked is recomputed by `pam retry`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentResult, StageRow } from '../../src/contracts/stage-requests.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { damageWhileTraining } from '../support/damage.js';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

/** Long enough a training (a few seconds) to damage its dataset while it runs. */
const trainingLong = (experiment: string) =>
  tinyPipeline(experiment, { seed: 4, trainItems: 1024, decoders: '{ baseline: { epochs: 40 } }' });

const stageOf = (rows: readonly StageRow[], id: string): StageRow => rows.find((r) => r.id === id)!;
const resultsOf = (rows: readonly StageRow[]): unknown[] =>
  openArtifactInput(world.artifactDir(stageOf(rows, 'evaluate')))
    .readTable('results')
    .toArray()
    .map((row) => row.toJSON());

/** The summaries of the activities the experiment scheduled, in order ("data (synthesize-b2g) compute → …"). */
async function scheduled(experiment: string): Promise<string[]> {
  const history = await world.client.workflow.getHandle(`pam-experiment-${experiment}`).fetchHistory();
  return history
    .events!.filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => e.userMetadata?.summary?.data)
    .map((d) => (d ? (JSON.parse(Buffer.from(d).toString()) as string) : ''));
}

test('a dataset damaged while train runs: evaluate catches it, data is recomputed, the results equal a clean run', async () => {
  const clean = await world.pam(['run', world.writePipeline('clean.yaml', trainingLong('clean'))]);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  const cleanRows = ((await world.client.workflow.getHandle('pam-experiment-clean').result()) as ExperimentResult).stages;
  const cleanResults = resultsOf(cleanRows);
  // The same keys again, computed from scratch.
  rmSync(path.join(world.home, 'artifacts'), { recursive: true });
  rmSync(path.join(world.home, 'partial'), { recursive: true, force: true });

  const run = world.spawnPam(['run', world.writePipeline('damaged.yaml', trainingLong('damaged'))]);
  const damaged = await damageWhileTraining(world, 'damaged', 'data', 'test.arrow');
  assert.equal(await run.exited, 0, run.out());

  const rows = ((await world.client.workflow.getHandle('pam-experiment-damaged').result()) as ExperimentResult).stages;
  assert.deepEqual(
    rows.map((r) => [r.id, r.status]),
    [
      ['data', 'done'],
      ['train', 'done'],
      ['evaluate', 'done'],
    ],
  );
  assert.match(stageOf(rows, 'data').reason!, /recomputed: .*test\.arrow: sha256 .* differs from the manifest/);
  const summaries = await scheduled('damaged');
  const count = (what: string) => summaries.filter((s) => s.includes(what)).length;
  assert.equal(count('data (synthesize-b2g) compute'), 2, 'data recomputed once');
  assert.equal(count('train (train) compute'), 1, 'train, whose inputs were read before the damage, is not rerun');
  assert.equal(count('evaluate (evaluate) compute'), 2, 'evaluate failed on the damage once, then ran on the recomputed data');
  const quarantine = readdirSync(path.join(world.home, 'artifacts', '.quarantine'));
  assert.equal(quarantine.filter((q) => q.startsWith('synthesize-b2g-')).length, 1, 'the damaged artifact is kept for inspection');
  assert.ok(!readdirSync(path.join(world.home, 'artifacts', 'evaluate')).some((k) => k !== stageOf(rows, 'evaluate').key));
  assert.ok(existsSync(damaged), 'data committed again under the same key');
  assert.deepEqual(resultsOf(rows), cleanResults);
});

test('an upstream artifact deleted while parked: pam retry recomputes it instead of failing again', async () => {
  const file = world.writePipeline(
    'vanish.yaml',
    tinyPipeline('vanish', { runtime: '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 1 }', decoders: '{ baseline: { epochs: 2 } }' }),
  );
  // The cause to fix: evaluate's thread dies (src/threads/thread-faults.ts), and with one attempt the stage parks.
  world.env['PAM_THREAD_FAULT'] = 'stage:evaluate=exit1';
  const parked = await world.pam(['run', file]);
  delete world.env['PAM_THREAD_FAULT'];
  assert.equal(parked.code, 3, parked.stdout + parked.stderr);
  const handle = world.client.workflow.getHandle('pam-experiment-vanish');
  // No worker is left to answer a query: the stage table in the memo says where data lies.
  const data = stageOf(((await handle.describe()).memo as { stages: StageRow[] }).stages, 'data');
  rmSync(world.artifactDir(data), { recursive: true });

  const retry = await world.pam(['retry', 'vanish']);
  assert.equal(retry.code, 0, retry.stdout + retry.stderr);
  const rows = ((await handle.result()) as ExperimentResult).stages;
  assert.deepEqual(
    rows.map((r) => [r.id, r.status]),
    [
      ['data', 'done'],
      ['train', 'done'],
      ['evaluate', 'done'],
    ],
  );
  assert.match(stageOf(rows, 'data').reason!, /no longer intact/);
  assert.ok(existsSync(path.join(world.artifactDir(data), 'test.arrow')), 'data committed again under the same key');
  const summaries = await scheduled('vanish');
  const afterRetry = summaries.slice(summaries.findIndex((s) => s.startsWith('evaluate (evaluate) compute')) + 1);
  assert.deepEqual(
    afterRetry.map((s) => s.replace(/ → artifact .*/, '')),
    ['data: cache lookup', 'data (synthesize-b2g) compute', 'train: cache lookup', 'evaluate: cache lookup', 'evaluate (evaluate) compute'],
    'the retry re-resolved the upstream stages before evaluate ran, rather than healing a failed evaluate',
  );
});
