/**
 * The happy path: a valid file resolves with every default filled in, and the hash follows the effective config
 * only (comments, key order, flow/block style and written-out defaults leave it alone; real changes move it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadPipelineConfig, parsePipelineConfig } from '../../src/config/load-pipeline-config.js';
import type { ResolvedPipelineConfig } from '../../src/contracts/pipeline-config.js';
import { hashCanonical } from '../../src/util/canonical-json.js';
import { fixturePath } from './config-test-helpers.js';
import { testCatalog } from './test-catalog.js';

const validFile = fixturePath('valid.yaml');
const validText = readFileSync(validFile, 'utf8');

const expectedValid: ResolvedPipelineConfig = {
  experiment: 'demo',
  description: 'three stages',
  seed: 9,
  runtime: {
    backend: 'auto',
    workers: 'in-process',
    heartbeatTimeoutSeconds: 60,
    stageTimeoutMinutes: 240,
    maximumAttempts: 3,
    maxParallelStages: 4,
    queues: { default: 'cpu', backends: {} },
  },
  stages: [
    { id: 'data', uses: 'synthesize-b2g', seed: 11, inputs: {}, params: { items: 100, noise: 0.1 }, maxSilenceSeconds: 300, queue: 'cpu' },
    {
      id: 'train',
      uses: 'train-pam',
      seed: 9,
      inputs: { dataset: 'data' },
      params: { epochs: 3, learningRate: 0.001, heads: [4], optimizer: 'adam' },
      maxSilenceSeconds: 300,
      queue: 'cpu',
    },
    {
      id: 'eval',
      uses: 'evaluate',
      seed: 9,
      inputs: { dataset: 'data', model: 'train' },
      params: { metrics: ['pixcorr'] },
      maxSilenceSeconds: 300,
      queue: 'cpu',
    },
  ],
};

describe('loadPipelineConfig on a valid file', () => {
  it('fills every default, keeps YAML stage order and hashes the resolved config', () => {
    const loaded = loadPipelineConfig(validFile, [], testCatalog);
    assert.deepEqual(loaded.config, expectedValid);
    assert.equal(loaded.file, validFile);
    assert.equal(loaded.hash, hashCanonical(expectedValid));
    assert.match(loaded.hash, /^[0-9a-f]{64}$/);
  });

  it('gives the same hash for other key order, comments, styles and written-out defaults', () => {
    const reordered = loadPipelineConfig(fixturePath('valid-reordered-defaults.yaml'), [], testCatalog);
    assert.deepEqual(reordered.config, expectedValid);
    assert.equal(reordered.hash, loadPipelineConfig(validFile, [], testCatalog).hash);
  });

  it('changes the hash when the effective config changes', () => {
    const base = parsePipelineConfig(validText, 'valid.yaml', [], testCatalog).hash;
    const changed = [
      validText.replace('epochs: 3', 'epochs: 4'),
      validText.replace('seed: 11', 'seed: 12'),
      validText.replace('    seed: 11\n', ''),
      `${validText}runtime: {backend: cpu}\n`,
    ].map((text) => parsePipelineConfig(text, 'valid.yaml', [], testCatalog).hash);
    assert.equal(new Set([base, ...changed]).size, 5);
  });

  it('a stage without its own seed takes the experiment seed', () => {
    const { config } = parsePipelineConfig(validText.replace('    seed: 11\n', ''), 'valid.yaml', [], testCatalog);
    assert.deepEqual(
      config.stages.map((stage) => stage.seed),
      [9, 9, 9],
    );
  });
});

describe('--set overrides on a valid file', () => {
  it('set existing and new keys with flow values, before validation and defaults', () => {
    const { config } = loadPipelineConfig(
      validFile,
      [
        'stages.train.with.epochs=7',
        'stages.train.with.heads=[2, 8]',
        'runtime.backend=cpu',
        'runtime = {maximumAttempts: 5}',
        'stages.data.with.noise=0.5',
        'description="a=b"',
      ],
      testCatalog,
    );
    assert.deepEqual(config.stages[1].params, { epochs: 7, learningRate: 0.001, heads: [2, 8], optimizer: 'adam' });
    // The whole-mapping override of `runtime` replaced `backend=cpu`, so backend is back to its default.
    assert.deepEqual(config.runtime, { ...expectedValid.runtime, maximumAttempts: 5 });
    assert.deepEqual(config.stages[0].params, { items: 100, noise: 0.5 });
    assert.equal(config.description, 'a=b');
  });

  it('an override that writes the value already in effect leaves the hash unchanged', () => {
    const plain = loadPipelineConfig(validFile, [], testCatalog).hash;
    const same = loadPipelineConfig(validFile, ['stages.train.with.epochs=3', 'runtime.workers=in-process'], testCatalog);
    assert.equal(same.hash, plain);
  });

  it('the later of two overrides of one path wins, and an override can fill an empty `with:`', () => {
    const text = validText.replace('    seed: 11\n', '    seed: 11\n    with:\n');
    const { config } = parsePipelineConfig(
      text,
      'valid.yaml',
      ['stages.data.with.items=5', 'stages.train.with.epochs=1', 'stages.train.with.epochs=2'],
      testCatalog,
    );
    assert.deepEqual(config.stages[0].params, { items: 5, noise: 0.1 });
    assert.equal(config.stages[1].params.epochs, 2);
  });
});
