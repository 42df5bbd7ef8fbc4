/** `pam server start|status|stop` as a user runs them, on ports chosen through PAM_TEMPORAL_PORT. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/test-world.js';

const run = promisify(execFile);

test('pam server start, status, stop', async () => {
  const port = await freePort();
  const uiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PAM_HOME: mkdtempSync(path.join(os.tmpdir(), 'pam-srv-')),
    PAM_TEMPORAL_PORT: String(port),
    PAM_TEMPORAL_UI_PORT: String(uiPort),
  };
  delete env['TEMPORAL_ADDRESS'];
  const pam = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, timeout: 60_000 });
  const started = await pam('server', 'start');
  assert.match(started.stdout, new RegExp(`started: 127\\.0\\.0\\.1:${port} · UI http://127\\.0\\.0\\.1:${uiPort}`));
  const again = await pam('server', 'start');
  assert.match(again.stdout, /already running/);
  const status = JSON.parse((await pam('server', 'status', '--json')).stdout) as { running: boolean; address: string; dbFile: string };
  assert.equal(status.running, true);
  assert.equal(status.address, `127.0.0.1:${port}`);
  assert.equal(status.dbFile, path.join(env['PAM_HOME']!, 'temporal', 'temporal.db'));
  const readable = (await pam('server', 'status')).stdout;
  assert.match(readable, /^Temporal dev server: running \(pid \d+\)\n {2}address: +127\.0\.0\.1:\d+\n {2}Web UI: +http:/);
  assert.ok(readable.includes(`\n  database: ${status.dbFile}`), readable);
  assert.match((await pam('server', 'stop')).stdout, /stopped/);
  await assert.rejects(
    pam('server', 'status', '--json'),
    (error: { code: number; stdout: string }) => error.code === 1 && /"running": false/.test(error.stdout),
  );
  await assert.rejects(
    pam('server', 'status'),
    (error: { code: number; stdout: string }) => error.code === 1 && /not running \(start it with `pam server start`\)/.test(error.stdout),
  );
});
