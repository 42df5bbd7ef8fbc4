/**
 * Crash recovery against a real dev server: a worker SIGKILLed mid-training is replaced and training resumes
 * from its last checkpoint without rerunning committed stages; the Temporal server SIGKILLed and restarted on
 * the same SQLite file mid-run loses nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestWorld, waitFor, type TestWorld } from '../support/test-world.js';
import { snapshot } from '../../src/cli/progress-view.js';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';
import { MANIFEST_FILE, type ArtifactManifest } from '../../src/store/artifact-manifest.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

/** Long enough to be killed mid-training (~40 epochs of a few hundred ms), small enough for CI. */
const pipeline = (experiment: string, workers: string, seed: number) => `experiment: ${experiment}
seed: ${seed}
runtime: { heartbeatTimeoutSeconds: 4, maximumAttempts: 3, workers: ${workers} }
stages:
  data:
    uses: synthesize-b2g
    with:
      latentDim: 32
      trainItems: 3000
      testItems: 32
      mixDims: 4
      areas:
        - { name: V1, units: 96, informativeness: 0.1 }
        - { name: IT, units: 64, informativeness: 0.8 }
  train:
    uses: train
    inputs: { dataset: data }
    with: { decoders: { baseline: { epochs: 40 } }, checkpointEveryEpochs: 1 }
  evaluate:
    uses: evaluate
    inputs: { dataset: data, predictions: train }
`;

/** The last epoch the train stage reported as checkpointed, as seen through Temporal's heartbeat details. */
async function checkpointedEpoch(experiment: string): Promise<number | undefined> {
  const snap = await snapshot(world.client.workflow.getHandle(`pam-experiment-${experiment}`));
  const beat = snap.live.get('train');
  const epoch = (beat?.checkpoint as { baseline?: number } | undefined)?.baseline;
  return epoch !== undefined && epoch >= 2 ? epoch : undefined;
}

function manifestOf(dir: string): ArtifactManifest {
  return JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as ArtifactManifest;
}

test('a worker killed mid-training: a new worker resumes from the checkpoint; committed stages are not rerun', async () => {
  const file = world.writePipeline('kill-worker.yaml', pipeline('killworker', 'external', 5));
  const run = world.spawnPam(['run', file]);
  const firstWorker = world.spawnPam(['worker']);
  const killedAt = await waitFor('a checkpointed training epoch', () => checkpointedEpoch('killworker'));
  firstWorker.child.kill('SIGKILL');
  await firstWorker.exited;
  const secondWorker = world.spawnPam(['worker']);
  try {
    assert.equal(await run.exited, 0, run.out());
  } finally {
    secondWorker.child.kill('SIGTERM');
    await secondWorker.exited;
  }
  const handle = world.client.workflow.getHandle('pam-experiment-killworker');
  const result = (await handle.result()) as ExperimentResult;
  const train = manifestOf(world.artifactDir(result.stages.find((s) => s.id === 'train')!));
  const resumedFrom = Number(train.summary['baseline.resumedFromEpoch']);
  assert.ok(resumedFrom >= killedAt && resumedFrom < 40, `resumed from epoch ${resumedFrom}, killed after ${killedAt}`);
  assert.ok(train.producer.attempt! >= 2, 'the train artifact was committed by a retried attempt');
  const history = await handle.fetchHistory();
  const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.userMetadata?.summary?.data);
  const summaries = scheduled.map((d) => (d ? Buffer.from(d).toString() : ''));
  assert.equal(summaries.filter((s) => s.includes('data (synthesize-b2g) compute')).length, 1, 'data computed once');
  assert.equal(summaries.filter((s) => s.includes('train (train) compute')).length, 1, 'one train activity, retried in place');
});

test('the Temporal server killed and restarted on the same database mid-run: the workflow completes', async () => {
  const file = world.writePipeline('kill-server.yaml', pipeline('killserver', 'in-process', 6));
  const run = world.spawnPam(['run', file]);
  await waitFor('a checkpointed training epoch', () => checkpointedEpoch('killserver'));
  const { pid } = JSON.parse(readFileSync(path.join(world.home, 'temporal', 'server.json'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 3000));
  await world.restartServer();
  assert.equal(await run.exited, 0, run.out());
  assert.match(run.out(), /completed: 3 stages/);
  const result = (await world.client.workflow.getHandle('pam-experiment-killserver').result()) as ExperimentResult;
  assert.deepEqual(
    result.stages.map((s) => s.status),
    ['done', 'done', 'done'],
  );
});
