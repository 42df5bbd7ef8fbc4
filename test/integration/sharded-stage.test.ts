/**
 * A sharded stage through Temporal: `invert-latents` fans out one activity per shard (each its own cached
 * artifact) and a merge activity; a rerun finds the merged artifact cached.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { readStrings } from '../../src/tables/arrow-tables.js';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

const GENERATOR = '{ kind: builtin, latentDim: 16, resolution: 16 }';

test('invert-latents runs as two shard activities and a merge; the rerun is a cache hit', async () => {
  const pipeline = world.writePipeline(
    'sharded.yaml',
    `experiment: sharded
seed: 4
stages:
  data:
    uses: synthesize-b2g
    with: { latentDim: 16, trainItems: 64, testItems: 4, testRepetitions: 2, mixDims: 4, areas: [{ name: IT, units: 8, informativeness: 0.8 }] }
  stimuli:
    uses: render-stimuli
    inputs: { dataset: data }
    with: { generator: ${GENERATOR} }
  latents:
    uses: invert-latents
    inputs: { images: stimuli }
    with: { split: test, seeds: 2, steps: 4, shards: 2, generator: ${GENERATOR}, featureNet: { kind: vgg16, widths: [4, 4, 8, 8, 8] } }
`,
  );
  const first = await world.pam(['run', pipeline]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const handle = world.client.workflow.getHandle('pam-experiment-sharded');
  const history = await handle.fetchHistory();
  const summaries = history
    .events!.filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => (e.userMetadata?.summary?.data ? Buffer.from(e.userMetadata.summary.data).toString() : ''));
  assert.equal(summaries.filter((s) => /latents \(invert-latents\) shard [12]\/2 → artifact [0-9a-f]{64}/.test(s)).length, 2);
  assert.equal(summaries.filter((s) => /latents \(invert-latents\) merge → artifact/.test(s)).length, 1);
  const stages = ((await handle.result()) as ExperimentResult).stages;
  const latents = openArtifactInput(world.artifactDir(stages.find((s) => s.id === 'latents')!));
  assert.deepEqual(readStrings(latents.readTable('latents'), 'image_id').length, 4);
  assert.deepEqual(Object.keys(latents.summary).length > 0, true);

  const second = await world.pam(['run', pipeline]);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /completed: 3 stages \(3 cache hits, 0 computed\)/);
});
