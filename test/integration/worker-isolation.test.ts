/**
 * In-process workers are isolated per experiment: each `pam run` starts its workflow on the experiment's own task
 * queue (src/temporal/task-queue.ts `inProcessTaskQueue`) and only it polls that queue, so two experiments run side
 * by side never execute each other's stages (on one shared queue either process would take either's tasks, and one
 * experiment would depend on the other's process staying up).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';
import { MANIFEST_FILE, type ArtifactManifest } from '../../src/store/artifact-manifest.js';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

test("two experiments in two concurrent `pam run`s: each one's artifacts name its own process as producer", async () => {
  const experiments = ['isolated-a', 'isolated-b'];
  // Other seeds, so no stage of one has the other's cache key (a shared artifact would name its first producer).
  const runs = experiments.map((experiment, i) => ({
    experiment,
    run: world.spawnPam([
      'run',
      world.writePipeline(`${experiment}.yaml`, tinyPipeline(experiment, { epochs: 6 }).replace('seed: 3', `seed: ${10 + i}`)),
    ]),
  }));
  for (const { run } of runs) assert.equal(await run.exited, 0, run.out());
  for (const { experiment, run } of runs) {
    const handle = world.client.workflow.getHandle(`pam-experiment-${experiment}`);
    assert.equal((await handle.describe()).taskQueue, `pam-in-process-${experiment}`);
    const result = (await handle.result()) as ExperimentResult;
    for (const stage of result.stages) {
      const manifest = JSON.parse(readFileSync(path.join(world.artifactDir(stage), MANIFEST_FILE), 'utf8')) as ArtifactManifest;
      assert.equal(manifest.producer.pid, run.child.pid, `${experiment}/${stage.id} computed by its own pam run`);
      assert.equal(manifest.producer.experiment, experiment);
    }
  }
});

test("`pam retry` of a parked in-process experiment polls that experiment's queue and completes it", async () => {
  // One attempt per stage, and evaluate's thread exits: the experiment parks on evaluate (exit code 3).
  const yaml = tinyPipeline('isolated-retry', { runtime: '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 1 }' }).replace(
    'seed: 3',
    'seed: 20',
  );
  world.env['PAM_THREAD_FAULT'] = 'stage:evaluate=exit1';
  const first = world.spawnPam(['run', world.writePipeline('isolated-retry.yaml', yaml)]);
  delete world.env['PAM_THREAD_FAULT'];
  assert.equal(await first.exited, 3, first.out());
  const retry = world.spawnPam(['retry', 'isolated-retry']);
  assert.equal(await retry.exited, 0, retry.out());
  const result = (await world.client.workflow.getHandle('pam-experiment-isolated-retry').result()) as ExperimentResult;
  const producers = result.stages.map((stage) => {
    const manifest = JSON.parse(readFileSync(path.join(world.artifactDir(stage), MANIFEST_FILE), 'utf8')) as ArtifactManifest;
    return manifest.producer.pid;
  });
  assert.deepEqual(producers, [first.child.pid, first.child.pid, retry.child.pid]);
});
