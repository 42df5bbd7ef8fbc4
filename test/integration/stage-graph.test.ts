/**
 * The workflow runs the stage graph (workflows/experiment.ts `runGraph`): independent branches compute at the same
 * time, and a branch that fails for good parks the experiment only once the other branches have finished; a retry
 * reruns the failed stage and completes the experiment.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentResult, StageRow } from '../../src/contracts/stage-requests.js';
import { MANIFEST_FILE, type ArtifactManifest } from '../../src/store/artifact-manifest.js';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { dataTrainBranch } from './pipelines.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

/** Two branches: `a` (data → train → evaluate) and `b` (data → train), nothing shared between them. */
function twoBranches(experiment: string, seed: number): string {
  const branch = (name: string, trainItems: number) => dataTrainBranch(name, trainItems, 8);
  return `experiment: ${experiment}
seed: ${seed}
runtime: { heartbeatTimeoutSeconds: 10, maximumAttempts: 1 }
stages:${branch('a', 512)}
  evaluate-a:
    uses: evaluate
    inputs: { dataset: data-a, predictions: train-a }${branch('b', 640)}
`;
}

const manifestOf = (row: StageRow): ArtifactManifest =>
  JSON.parse(readFileSync(path.join(world.artifactDir(row), MANIFEST_FILE), 'utf8')) as ArtifactManifest;
const spanOf = (row: StageRow): [number, number] => {
  const { timings } = manifestOf(row);
  return [Date.parse(timings.startedAt), Date.parse(timings.finishedAt)];
};

test('independent branches compute at the same time', async () => {
  const result = await world.pam(['run', world.writePipeline('graph.yaml', twoBranches('graph', 41))]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const rows = ((await world.client.workflow.getHandle('pam-experiment-graph').result()) as ExperimentResult).stages;
  const row = (id: string) => rows.find((r) => r.id === id)!;
  const [a, b] = [spanOf(row('train-a')), spanOf(row('train-b'))];
  assert.ok(a[0] < b[1] && b[0] < a[1], `train-a ${a.join('–')} and train-b ${b.join('–')} overlap`);
  const [dataA, dataB] = [spanOf(row('data-a')), spanOf(row('data-b'))];
  assert.ok(dataA[0] < dataB[1] && dataB[0] < dataA[1], 'both data stages start at once');
});

test('a branch that fails for good parks the experiment after the other branch completes; a retry finishes it', async () => {
  world.env['PAM_THREAD_FAULT'] = 'stage:evaluate=exit1';
  const first = world.spawnPam(['run', world.writePipeline('graph-park.yaml', twoBranches('graph-park', 42))]);
  delete world.env['PAM_THREAD_FAULT'];
  assert.equal(await first.exited, 3, first.out());
  const handle = world.client.workflow.getHandle('pam-experiment-graph-park');
  // No worker is left to answer a query: the memo holds the stage table.
  const parked = ((await handle.describe()).memo as { stages: StageRow[] }).stages;
  const status = Object.fromEntries(parked.map((r) => [r.id, r.status]));
  assert.deepEqual(status, { 'data-a': 'done', 'train-a': 'done', 'evaluate-a': 'failed', 'data-b': 'done', 'train-b': 'done' });
  assert.match(first.out(), /stage evaluate-a failed for good/);

  const retry = world.spawnPam(['retry', 'graph-park']);
  assert.equal(await retry.exited, 0, retry.out());
  const rows = ((await handle.result()) as ExperimentResult).stages;
  assert.deepEqual(
    rows.map((r) => [r.id, r.status]),
    [
      ['data-a', 'done'],
      ['train-a', 'done'],
      ['evaluate-a', 'done'],
      ['data-b', 'done'],
      ['train-b', 'done'],
    ],
  );
});
