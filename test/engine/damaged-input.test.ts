/**
 * An input damaged between its commit and a consumer's open, through the real compute thread: the consumer's
 * attempt fails at once with a non-retryable InputDamagedError whose failure details tell the workflow which input
 * to recompute (workflows/experiment.ts); recomputing the upstream stage and rerunning the consumer then succeeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../activities/index.js';
import { executeStage } from '../../src/engine/execute-stage.js';
import { stageFailureOf } from '../../src/engine/stage-failure.js';
import { InputDamagedError, inputDamageIn, type InputDamage } from '../../src/errors/pipeline-errors.js';
import type { StageRequest } from '../../src/contracts/stage-requests.js';
import { spec as trainSpec } from '../../src/stages/train/spec.js';
import { flipByte } from '../support/damage.js';
import { computeRequest, fakePorts, tempEngine, tinyWorldRequest } from './engine-fixtures.js';

test('a damaged input fails the consumer once, non-retryably, with the damage in its failure details; recomputed, it passes', async () => {
  const engine = tempEngine();
  const dataset = await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), fakePorts({ runId: 'run-1' }).ports);
  const testTable = path.join(engine.store.artifactDir(dataset.stage, dataset.key), 'test.arrow');
  flipByte(testTable);

  const trainRequest: StageRequest = {
    ...tinyWorldRequest(),
    stageId: 'train',
    uses: 'train',
    params: trainSpec.params.parse({ decoders: { baseline: { epochs: 1 } } }) as Record<string, unknown>,
    inputs: { dataset },
  };
  const damage: InputDamage = { consumer: 'train', role: 'dataset', stage: 'synthesize-b2g', key: dataset.key, file: testTable };
  const error = await executeStage(engine, await computeRequest(engine, trainRequest), fakePorts({ runId: 'run-1' }).ports).then(
    () => assert.fail('trained on a damaged dataset'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InputDamagedError, String(error));
  assert.match(error.message, /stage train: input "dataset" \(synthesize-b2g\/[0-9a-f]{12}…\) is damaged: .*test\.arrow: sha256/);
  assert.deepEqual(error.details, damage, 'the damage crossed the thread hop');

  const failure = stageFailureOf('train', error);
  assert.deepEqual([failure.type, failure.nonRetryable], ['InputDamagedError', true], 'not the consumer’s fault: never retried');
  const activityFailure = toActivityFailure('train', error);
  assert.ok(activityFailure instanceof ApplicationFailure);
  assert.deepEqual(inputDamageIn(activityFailure.details ?? undefined), damage, 'what the workflow reads');
  assert.ok(!existsSync(engine.store.artifactDir('train', (await computeRequest(engine, trainRequest)).key)), 'nothing committed');
  assert.deepEqual(readdirSync(path.join(engine.store.root, 'artifacts', '.staging')), [], 'its staging folder is gone');

  // The workflow's answer: the upstream's lookup finds it corrupt (its compute quarantines and recomputes it), and
  // the consumer runs again on the recomputed input.
  assert.equal((await engine.store.verify('synthesize-b2g', dataset.key)).status, 'corrupt');
  const recomputed = await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), fakePorts({ runId: 'run-1' }).ports);
  assert.equal(recomputed.key, dataset.key);
  const trained = await executeStage(
    engine,
    await computeRequest(engine, { ...trainRequest, inputs: { dataset: recomputed } }),
    fakePorts({}).ports,
  );
  assert.ok(trained.rows['predictions']! > 0);
});
