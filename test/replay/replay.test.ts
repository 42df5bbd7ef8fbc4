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
import { WORKFLOW_PATCHES } from '../../workflows/experiment.js';

const dir = fileURLToPath(new URL('./histories', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('recorded histories exist', () => {
  assert.ok(files.length > 0, `no recorded histories in ${dir}`);
});

test('every patched() path of the workflow is taken by a recorded history', () => {
  // A patch marker's details hold its id as a JSON payload (@temporalio/workflow `patched`).
  const markers = files.flatMap((f) => {
    const { events } = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { events: { markerRecordedEventAttributes?: unknown }[] };
    return events.flatMap((e) => (e.markerRecordedEventAttributes ? [JSON.stringify(e.markerRecordedEventAttributes)] : []));
  });
  for (const id of Object.values(WORKFLOW_PATCHES)) {
    const encoded = Buffer.from(JSON.stringify({ id, deprecated: false })).toString('base64');
    assert.ok(
      markers.some((m) => m.includes(encoded)),
      `no history records patch "${id}": run scripts/record-replay-history.ts for its scenario`,
    );
  }
});

for (const file of files) {
  test(`replays ${file} deterministically`, async () => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)) }, history);
  });
}
