/**
 * A wedged compute thread through Temporal: its keep-alive heartbeats stop after the stage's `maxSilenceSeconds`,
 * the attempt fails with a retryable StageStalledError long before `stageTimeoutMinutes`, and the retry completes.
 * The worker runs in this process so the fault (PAM_THREAD_FAULT `hang`, src/threads/thread-faults.ts) can be
 * cleared once the first attempt's thread has started with it: worker threads copy the environment at start.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { parsePipelineConfig } from '../../src/config/load-pipeline-config.js';
import { snapshot } from '../../src/cli/progress-view.js';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';
import { MANIFEST_FILE, type ArtifactManifest } from '../../src/store/artifact-manifest.js';
import { startExperiment } from '../../src/temporal/experiment-client.js';
import { createPipelineWorker } from '../../src/temporal/pipeline-worker.js';
import { startTestWorld, waitFor, type TestWorld } from '../support/test-world.js';
import { TINY_DATA } from './pipelines.js';

const QUEUE = 'stage-stall-test';
let world: TestWorld;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

before(async () => {
  world = await startTestWorld();
  connection = await NativeConnection.connect({ address: world.address });
  worker = await createPipelineWorker({ connection, namespace: 'default', stateRoot: world.home, taskQueue: QUEUE });
  running = worker.run();
});
after(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await world?.stop();
});

test('a wedged stage fails as StageStalledError within ~maxSilenceSeconds and its retry completes', async () => {
  // Without the silence watch the keep-alive would hold the wedged attempt until the 1-minute stage timeout.
  const yaml = `experiment: stalled
seed: 3
runtime: { heartbeatTimeoutSeconds: 10, stageTimeoutMinutes: 1, maximumAttempts: 3 }
stages:${TINY_DATA}
    maxSilenceSeconds: 6
`;
  const loaded = parsePipelineConfig(yaml, 'stalled.yaml');
  process.env['PAM_THREAD_FAULT'] = 'stage:synthesize-b2g=hang';
  const startedAt = Date.now();
  let handle: Awaited<ReturnType<typeof startExperiment>>['handle'];
  try {
    ({ handle } = await startExperiment(world.client, loaded, [], QUEUE));
    await waitFor('the first attempt of stage data', async () => (await snapshot(handle)).live.get('data'), 60_000);
  } finally {
    delete process.env['PAM_THREAD_FAULT'];
  }
  const result = (await handle.result()) as ExperimentResult;
  const seconds = (Date.now() - startedAt) / 1000;
  assert.deepEqual(
    result.stages.map((s) => s.status),
    ['done'],
  );
  assert.ok(seconds < 45, `completed after ${seconds} s: the stall was caught well before the stage timeout`);

  const history = await handle.fetchHistory();
  const compute = history.events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runStage')!;
  const started = history.events!.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(compute.eventId))!
    .activityTaskStartedEventAttributes!;
  assert.equal(started.attempt, 2, 'the second attempt completed');
  const stalled = started.lastFailure!;
  assert.equal(stalled.applicationFailureInfo?.type, 'StageStalledError');
  assert.equal(stalled.applicationFailureInfo?.nonRetryable, false);
  assert.match(
    stalled.message ?? '',
    /^stage data: data \(synthesize-b2g\): its compute thread sent no progress or log line for 6(\.\d)? s \(maxSilenceSeconds 6\); last progress "starting"/,
  );
  const manifest = JSON.parse(readFileSync(path.join(world.artifactDir(result.stages[0]!), MANIFEST_FILE), 'utf8')) as ArtifactManifest;
  assert.equal(manifest.producer.attempt, 2);
});
