import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planStages } from '../../src/contracts/plan.js';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { describeKeyChanges } from '../../src/store/key-diff.js';
import type { ResolvedPipelineConfig, ResolvedStage } from '../../src/contracts/pipeline-config.js';

const stage = (id: string, inputs: Record<string, string> = {}): ResolvedStage => ({ id, uses: id, seed: 1, inputs, params: {} });
const config = (stages: ResolvedStage[]): ResolvedPipelineConfig => ({
  experiment: 'x',
  description: '',
  seed: 1,
  runtime: { backend: 'auto', workers: 'in-process', heartbeatTimeoutSeconds: 60, stageTimeoutMinutes: 60, maximumAttempts: 3 },
  stages,
});

test('plan orders by dependencies, ties in YAML order (named DAG shapes)', () => {
  const triangle = config([stage('evaluate', { a: 'train', b: 'data' }), stage('train', { a: 'data' }), stage('data')]);
  assert.deepEqual(
    planStages(triangle).map((s) => s.id),
    ['data', 'train', 'evaluate'],
  );
  const twoBranches = config([
    stage('a'),
    stage('b'),
    stage('a2', { x: 'a' }),
    stage('b2', { x: 'b' }),
    stage('join', { l: 'a2', r: 'b2' }),
  ]);
  assert.deepEqual(
    planStages(twoBranches).map((s) => s.id),
    ['a', 'b', 'a2', 'b2', 'join'],
  );
  assert.throws(() => planStages(config([stage('p', { x: 'q' }), stage('q', { x: 'p' })])), /cycle/);
});

test("a cycle is the core's own ConfigError (the workflow makes it a non-retryable failure)", () => {
  assert.throws(() => planStages(config([stage('p', { x: 'q' }), stage('q', { x: 'p' })])), ConfigError);
});

test('key changes name what changed', () => {
  const before = {
    stage: 'train',
    codeVersion: '1',
    params: { decoders: { baseline: { epochs: 2 } } },
    inputKeys: { dataset: 'aaaaaaaaaaaaaaaa' },
    seed: 9,
  };
  const after = {
    ...before,
    codeVersion: '2',
    params: { decoders: { baseline: { epochs: 3 } } },
    inputKeys: { dataset: 'bbbbbbbbbbbbbbbb' },
  };
  // Stages without external inputs keep records with an empty `external`.
  const record = (keyParts: typeof before) => ({ keyParts, external: {} });
  assert.deepEqual(describeKeyChanges(record(before), record(after)), [
    'code version 1 → 2',
    'input dataset aaaaaaaaaaaa → bbbbbbbbbbbb',
    'params.decoders.baseline.epochs: 2 → 3',
  ]);
  assert.deepEqual(describeKeyChanges(record(before), record(before)), []);
});
