/** OutageWatch (src/cli/outage-watch.ts): an unreachable server is waited out with two lines; other errors pass. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { OutageWatch } from '../../src/cli/outage-watch.js';

/** What the client throws when the server is down: a ServiceError whose cause is the gRPC UNAVAILABLE error. */
function unavailable(): ServiceError {
  const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
    code: 14, // gRPC status UNAVAILABLE
    details: 'No connection established',
    metadata: {},
  });
  return new ServiceError('Failed to describe workflow', { cause: grpc });
}

test('calls failing with an unreachable server are retried; one line when it goes, one when it is back', async () => {
  const lines: string[] = [];
  const watch = new OutageWatch((line) => lines.push(line), ' (hint)');
  let calls = 0;
  const value = await watch.call(async () => {
    calls += 1;
    if (calls <= 2) throw unavailable();
    return 'described';
  });
  assert.equal(value, 'described');
  assert.equal(calls, 3);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /^server unreachable since \d\d:\d\d:\d\d, retrying \(hint\)$/);
  assert.match(lines[1]!, /^server back after \d+ s$/);
  assert.equal(await watch.call(async () => 'again'), 'again');
  assert.equal(lines.length, 2, 'no line while the server answers');
});

test('any other error is thrown at once', async () => {
  const watch = new OutageWatch(() => assert.fail('no outage line for a not-found workflow'));
  await assert.rejects(
    watch.call(() => Promise.reject(new WorkflowNotFoundError('not found', 'pam-experiment-x', undefined))),
    WorkflowNotFoundError,
  );
});
