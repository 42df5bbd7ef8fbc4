/**
 * Determinism guard: every recorded experiment history must replay against the current workflow code.
 * A non-deterministic change (reordered activities, new awaits before old ones) fails here, not in production.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';

const dir = fileURLToPath(new URL('./histories', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('recorded histories exist', () => {
  assert.ok(files.length > 0, `no recorded histories in ${dir}`);
});

for (const file of files) {
  test(`replays ${file} deterministically`, async () => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)) }, history);
  });
}
