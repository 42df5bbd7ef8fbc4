/** The worker-thread runtime (src/threads/): results, events, typed errors, thread exits and cancellation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ThreadCancelledError, ThreadExitError, TransientNetworkError } from '../../src/errors/pipeline-errors.js';
import { runInThread, runInWorkers } from '../../src/threads/thread-pool.js';
import type { Script, ScriptEvent } from './scripted-thread.js';
import { settledError } from './settled-error.js';

const SCRIPTED = new URL('./scripted-thread.ts', import.meta.url);
const run = (script: Script, options: { signal?: AbortSignal; graceMs?: number; onEvent?: (event: ScriptEvent) => void } = {}) =>
  runInThread<Script, number | Float64Array, ScriptEvent>(SCRIPTED, script, { name: 'scripted', ...options });

test('one-shot: events reach onEvent in order, then the result', async () => {
  const events: number[] = [];
  assert.equal(await run({ do: 'answer', value: 42, events: 3 }, { onEvent: ({ step }) => events.push(step) }), 42);
  assert.deepEqual(events, [1, 2, 3]);
});

test('pool: largest-first dispatch, results in task order, transferred inputs leave the parent', async () => {
  const tasks: Script[] = [
    { do: 'answer', value: 0, ms: 1 },
    { do: 'answer', value: 1, ms: 3 },
    { do: 'answer', value: 2, ms: 2 },
  ];
  const finished: number[] = [];
  const results = await runInWorkers<Script, number | Float64Array>(SCRIPTED, tasks, {
    threads: 1,
    cost: (task) => (task.do === 'answer' ? (task.ms ?? 0) : 0),
    onResult: (index) => finished.push(index),
  });
  assert.deepEqual(finished, [1, 2, 0]);
  assert.deepEqual(results, [0, 1, 2]);

  const data = Float64Array.from([1, 2, 3]);
  const [doubled] = await runInWorkers<Script, number | Float64Array>(SCRIPTED, [{ do: 'double', data }], {
    threads: 1,
    transfer: (task) => (task.do === 'double' ? [task.data.buffer as ArrayBuffer] : []),
  });
  assert.deepEqual(doubled, Float64Array.from([2, 4, 6]));
  assert.equal(data.length, 0, 'the buffer was moved, not copied');
});

test('a typed error keeps its class, retryable, cause chain and the thread stack', async () => {
  const error = await settledError(run({ do: 'throw', error: 'typed' }), 5_000);
  assert.ok(error instanceof ConfigError);
  assert.equal(error.retryable, false);
  assert.match(error.stack ?? '', /scripted-thread\.ts/);
  const cause = error.cause;
  assert.ok(cause instanceof TransientNetworkError);
  assert.equal(cause.retryable, true);
  assert.equal(cause.message, 'socket reset');
  assert.equal(cause.cause, 'ECONNRESET');
});

test('an error of another class keeps its name and retryable; a cyclic cause chain is cut', async () => {
  const foreign = await settledError(run({ do: 'throw', error: 'foreign' }), 5_000);
  assert.equal(foreign.name, 'UnlistedError');
  assert.equal((foreign as { retryable?: boolean }).retryable, true);
  const cyclic = await settledError(run({ do: 'throw', error: 'cyclic' }), 5_000);
  let depth = 0;
  for (let e: unknown = cyclic; e instanceof Error; e = e.cause) depth++;
  assert.ok(depth > 1 && depth < 20, `cause chain of ${depth}`);
});

for (const code of [0, 1]) {
  test(`a thread that calls process.exit(${code}) mid-task settles with a retryable ThreadExitError`, async () => {
    const error = await settledError(run({ do: 'exit', code }), 5_000);
    assert.ok(error instanceof ThreadExitError);
    assert.equal(error.retryable, true);
    assert.equal(error.message, `thread scripted exited with code ${code} before answering its task`);
  });
}

test('in a pool, a thread that exits mid-task fails the run, naming the thread and the task', async () => {
  const tasks: Script[] = [
    { do: 'answer', value: 0, ms: 2_000 },
    { do: 'exit', code: 0 },
  ];
  const error = await settledError(
    runInWorkers<Script, number | Float64Array>(SCRIPTED, tasks, { threads: 2, taskLabel: (_, i) => `script ${i}` }),
    5_000,
  );
  assert.ok(error instanceof ThreadExitError);
  assert.equal(error.message, 'thread scripted-thread#2 exited with code 0 before answering script 1');
});

test('a thread that crashes outside its task settles with ThreadExitError carrying the crash as cause', async () => {
  const error = await settledError(run({ do: 'crash' }), 5_000);
  assert.ok(error instanceof ThreadExitError);
  assert.match(error.message, /^thread scripted crashed \(thrown outside the task\) before answering its task$/);
  assert.match(String((error.cause as Error).message), /thrown outside the task/);
});

test('cancel: a thread that stops on abort settles at once with ThreadCancelledError', async () => {
  const abort = new AbortController();
  const running = run({ do: 'stop-on-abort' }, { signal: abort.signal, graceMs: 60_000 });
  setTimeout(() => abort.abort(new Error('operator stop')), 200);
  const error = await settledError(running, 5_000);
  assert.ok(error instanceof ThreadCancelledError);
  assert.equal(error.retryable, false);
  assert.equal(error.message, 'thread scripted cancelled: operator stop');
});

test('cancel: a thread that ignores the abort is terminated after the grace period', async () => {
  const abort = new AbortController();
  const running = run({ do: 'ignore-abort' }, { signal: abort.signal, graceMs: 300 });
  setTimeout(() => abort.abort(), 200);
  assert.ok((await settledError(running, 5_000)) instanceof ThreadCancelledError);
});

test('cancel: an already aborted signal starts no thread', async () => {
  const error = await settledError(run({ do: 'answer', value: 1 }, { signal: AbortSignal.abort('gone') }), 100);
  assert.ok(error instanceof ThreadCancelledError);
  assert.equal(error.message, 'thread scripted cancelled: gone');
});
