/** The in-process worker's supervisor (src/cli/worker-supervisor.ts) with fake workers: no server needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { superviseWorker, type RunnableWorker } from '../../src/cli/worker-supervisor.js';

/** A worker whose run() lasts until shutdown() or fail(). */
class FakeWorker implements RunnableWorker {
  state = 'INITIALIZED';
  private end: (error?: Error) => void = () => {};
  run(): Promise<void> {
    this.state = 'RUNNING';
    return new Promise<void>((resolve, reject) => {
      this.end = (error) => {
        this.state = error ? 'FAILED' : 'STOPPED';
        if (error) reject(error);
        else resolve();
      };
    });
  }
  shutdown(): void {
    assert.equal(this.state, 'RUNNING', 'shutdown() of a worker that is not running');
    this.end();
  }
  fail(message: string): void {
    this.end(new Error(message));
  }
  getState(): string {
    return this.state;
  }
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

test('a worker that fails while wanted is replaced, creation retried until it succeeds; stop() shuts the new one down', async () => {
  const first = new FakeWorker();
  const second = new FakeWorker();
  let attempts = 0;
  const lines: string[] = [];
  const supervised = superviseWorker(
    first,
    async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('server unreachable');
      return second;
    },
    (line) => lines.push(line),
    5,
  );
  await tick();
  first.fail('Shutdown requested: poll error');
  await tick(100);
  assert.equal(attempts, 3);
  assert.equal(second.state, 'RUNNING');
  assert.deepEqual(lines, ['in-process worker stopped (Shutdown requested: poll error); starting a new one']);
  await supervised.stop();
  assert.equal(second.state, 'STOPPED');
});

test('stop() during the pause before a new worker returns at once, creating none', async () => {
  const first = new FakeWorker();
  let created = 0;
  const supervised = superviseWorker(
    first,
    async () => {
      created += 1;
      return new FakeWorker();
    },
    () => undefined,
    60_000,
  );
  first.fail('gone');
  await tick();
  const started = Date.now();
  await supervised.stop();
  assert.ok(Date.now() - started < 1000, 'stop() waited for the retry pause');
  assert.equal(created, 0);
});

test('a plain stop() shuts the running worker down and logs nothing', async () => {
  const first = new FakeWorker();
  const lines: string[] = [];
  const supervised = superviseWorker(
    first,
    async () => new FakeWorker(),
    (line) => lines.push(line),
  );
  await supervised.stop();
  assert.equal(first.state, 'STOPPED');
  assert.deepEqual(lines, []);
});
