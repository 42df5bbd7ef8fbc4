/**
 * Plan-time checks of the loader (src/config/plan-checks.ts, size-limits.ts) on the real catalog: every shipped demo
 * gets a memory estimate per stage, the planned shapes flow downstream, and the UI metadata stays within Temporal's
 * limits. The user-facing errors are in test/faults/malformed-inputs.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPipelineConfig, parsePipelineConfig } from '../../src/config/load-pipeline-config.js';
import { MAX_CONFIG_BYTES } from '../../src/config/size-limits.js';
import { totalBytes } from '../../src/stages/stage-plan.js';
import { clipBytes } from '../../src/temporal/experiment-client.js';

test('the demo gets a memory estimate per stage, and the planned shapes reach the consumers', () => {
  const { estimates } = loadPipelineConfig('pipelines/demo.yaml');
  assert.deepEqual([...estimates.keys()], ['data', 'train', 'evaluate']);
  for (const [id, estimate] of estimates) assert.ok(totalBytes(estimate.memory) > 0, id);
  assert.deepEqual(estimates.get('data')!.output.items, { train: 4000, test: 200 });
  assert.deepEqual(estimates.get('train')!.output.decoders, ['baseline', 'pam']);
  // The two decoders train in their own threads by default; sequentially, only the larger model counts.
  const parallel = totalBytes(estimates.get('train')!.memory);
  const serial = loadPipelineConfig('pipelines/demo.yaml', ['stages.train.with.parallel=false']).estimates.get('train')!;
  assert.ok(totalBytes(serial.memory) < parallel);
});

test('the memory limit is not part of a config that does not set it, so the hash does not depend on the machine', () => {
  const plain = loadPipelineConfig('pipelines/demo.yaml');
  assert.equal('maxStageMemoryGiB' in plain.config.runtime, false);
  const limited = loadPipelineConfig('pipelines/demo.yaml', ['runtime.maxStageMemoryGiB=16']);
  assert.equal(limited.config.runtime.maxStageMemoryGiB, 16);
  assert.notEqual(limited.hash, plain.hash);
});

test('the size limit is on the whole resolved config: 200 KiB of image ids load, 300 KiB name the list', () => {
  const yaml = (count: number) => {
    const ids = Array.from({ length: count }, (_, i) => `img-${String(i).padStart(6, '0')}`);
    return `experiment: sized\nseed: 1\nstages:\n  stimuli:\n    uses: load-stimuli\n    with: { folder: images, imageIds: [${ids.join(', ')}] }\n`;
  };
  const under = parsePipelineConfig(yaml(16_500), 'sized.yaml');
  assert.ok(JSON.stringify(under.config).length > 200 * 1024 && JSON.stringify(under.config).length < MAX_CONFIG_BYTES);
  assert.throws(
    () => parsePipelineConfig(yaml(22_000), 'sized.yaml'),
    /sized\.yaml:6:39: stages\.stimuli\.with\.imageIds: the resolved config is/,
  );
});

test("static summary and details are clipped to Temporal's user-metadata limits, multi-byte text included", () => {
  assert.equal(clipBytes('short', 200, ' …'), 'short');
  const clipped = clipBytes('→'.repeat(500), 200, ' …');
  assert.ok(Buffer.byteLength(clipped) <= 200);
  assert.ok(clipped.endsWith(' …'));
  assert.ok(!clipped.includes('\uFFFD'));
});
