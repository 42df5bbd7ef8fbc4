/** The workflow bundle is built once per workflow code version and reused from the state folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workflowBundle, workflowCodeDigest } from '../../src/temporal/workflow-bundle.js';

test('a second worker start reuses the bundle of the same code instead of bundling again', async () => {
  const state = mkdtempSync(path.join(os.tmpdir(), 'pam-bundle-'));
  const built: string[] = [];
  const first = await workflowBundle(state, (line) => built.push(line));
  assert.equal(built.length, 1, 'the first start bundles');
  assert.match(first.code, /experiment/);
  const second = await workflowBundle(state, (line) => built.push(line));
  assert.equal(built.length, 1, 'the second start reads the cached bundle');
  assert.equal(second.code, first.code);
  assert.deepEqual(
    readdirSync(path.join(state, 'bundles')).filter((n) => !n.startsWith('experiment-')),
    [],
    'no temporary file is left',
  );
});

test('the digest changes with any workflow or src source and with the lock file, not with other files', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pam-bundle-root-'));
  mkdirSync(path.join(root, 'workflows'));
  mkdirSync(path.join(root, 'src', 'errors'), { recursive: true });
  writeFileSync(path.join(root, 'workflows', 'experiment.ts'), 'export const a = 1;');
  writeFileSync(path.join(root, 'src', 'errors', 'e.ts'), 'export const b = 2;');
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  const digests = [workflowCodeDigest(root)];
  writeFileSync(path.join(root, 'src', 'notes.md'), 'not code');
  assert.equal(workflowCodeDigest(root), digests[0], 'a non-TypeScript file does not count');
  for (const [file, text] of [
    ['workflows/experiment.ts', 'export const a = 2;'],
    ['src/errors/e.ts', 'export const b = 3;'],
    ['package-lock.json', '{"v":1}'],
  ] as const) {
    writeFileSync(path.join(root, file), text);
    const digest = workflowCodeDigest(root);
    assert.ok(!digests.includes(digest), `${file} changed the digest`);
    digests.push(digest);
  }
});
