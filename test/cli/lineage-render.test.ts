/** `pam lineage` as text (src/cli/lineage.ts): params printed, a stage's many image files one line per folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLineage, type LineageNode } from '../../src/cli/lineage.js';

const sha = (i: number) => i.toString(16).padStart(64, '0');

test('params and inputs are printed; 1,200 image files become one line (all with --files), tables stay one line each', () => {
  const node = (stageId: string, key: string, files: LineageNode['files'], inputs: LineageNode['inputs'] = {}): LineageNode => ({
    stageId,
    stage: stageId,
    key,
    location: `/store/artifacts/${stageId}/${key}`,
    codeVersion: '2',
    params: { epochs: 30, heads: [4] },
    seed: 9,
    inputs,
    files,
    producer: { host: 'gpu-1', pid: 7, nodeVersion: 'v20', backend: 'tfjs-node-gpu', workflowId: 'w', runId: 'r', attempt: 1 },
    timings: { startedAt: '2026-12-03T08:00:00.000Z', finishedAt: '2026-12-03T08:01:00.000Z', seconds: 60 },
  });
  const images = Array.from({ length: 1200 }, (_, i) => ({ path: `images/item-${i}.png`, bytes: 1024, sha256: sha(i) }));
  const text = renderLineage([
    node('data', sha(1), [{ path: 'train.arrow', rows: 4000, bytes: 10, sha256: sha(2) }]),
    node('evaluate', sha(3), [{ path: 'results.arrow', rows: 6, bytes: 10, sha256: sha(4) }, ...images], {
      dataset: { stage: 'data', key: sha(1) },
    }),
  ]);
  assert.match(text, /params: {3}\{"epochs":30,"heads":\[4\]\}/);
  assert.match(text, /inputs: {3}dataset ← data \(000000000000\)/);
  assert.match(text, /on gpu-1 \(tfjs-node-gpu\) by w\/r attempt 1/);
  assert.match(text, /file: {5}results\.arrow \[6 rows\] 10 B sha256 /);
  assert.match(text, /file: {5}images\/ 1200 files, 1\.17 MiB \(each with its sha256: --files\)/);
  assert.match(text, /files: {4}1201 files, 1\.17 MiB\n/);
  assert.ok(text.split('\n').length < 20, `${text.split('\n').length} lines`);
  const everyFile = renderLineage([node('evaluate', sha(3), images)], { allFiles: true });
  assert.equal(everyFile.split('\n').filter((line) => line.startsWith('  file: ')).length, 1200);
  assert.match(everyFile, /file: {5}images\/item-7\.png 1\.00 KiB sha256 000000000000\n/);
});
