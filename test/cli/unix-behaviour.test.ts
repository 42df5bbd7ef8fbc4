/**
 * `pam` as a good Unix tool, with no Temporal server anywhere (the CLI as a child process, a fresh PAM_HOME, the
 * embedded server's port pointed at a free port): mistyped commands and options are named, bad input exits 2 with
 * one clear line, commands that only read never start a server, and a reader closing the pipe early is no error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeServer } from '../../src/temporal/dev-server.js';
import { freePort, ROOT, type PamResult } from '../support/test-world.js';

const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');
const DEMO = path.join(ROOT, 'pipelines', 'demo.yaml');
const home = mkdtempSync(path.join(os.tmpdir(), 'pam-unix-'));
const port = await freePort();
const env: NodeJS.ProcessEnv = { ...process.env, PAM_HOME: home, PAM_TEMPORAL_PORT: String(port), FORCE_COLOR: '0' };
delete env['TEMPORAL_ADDRESS'];

/** Run `pam ...`; `closeStdout`: close our end of its stdout at once, as `| head -0` would. */
function pam(args: string[], options: { closeStdout?: boolean } = {}): Promise<PamResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000); // a hang fails the test rather than blocking it
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

test('an unknown command is named, with the nearest command when there is one, exit 2', async () => {
  const far = await pam(['frobnicate']);
  assert.equal(far.code, 2);
  assert.match(
    far.stderr,
    /^pam: unknown command "frobnicate"; the commands are run, status, retry, lineage, report, logs, list, compare, worker, server, data, cluster\n/,
  );
  assert.match(far.stderr, /usage:\n {2}pam run/);
  const near = await pam(['stauts', 'demo']);
  assert.equal(near.code, 2);
  assert.match(near.stderr, /^pam: unknown command "stauts" \(did you mean "status"\?\)/);
  assert.equal((await pam(['constructor'])).code, 2, 'an Object.prototype key is no command');
});

test('--help goes to stdout with exit 0', async () => {
  const help = await pam(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage:\n {2}pam run/);
});

test('pam status, lineage, report and retry never start a server: they say none runs and how to start one, exit 2', async () => {
  for (const args of [
    ['status', 'demo'],
    ['lineage', 'demo', '--json'],
    ['report', 'demo', '--out', 'r.html'],
    ['retry', 'demo'],
  ]) {
    const result = await pam(args);
    assert.equal(result.code, 2, `pam ${args.join(' ')}: ${result.stderr}`);
    assert.equal(
      result.stderr.trim(),
      `no Temporal server is running at 127.0.0.1:${port}: start the embedded one with \`pam server start\` ` +
        '(`pam run` starts it too), or set TEMPORAL_ADDRESS to your cluster',
    );
  }
  assert.equal(await probeServer(`127.0.0.1:${port}`), false, 'a server was started');
  assert.equal(existsSync(path.join(home, 'temporal', 'server.json')), false);
});

test('pam worker --max-stages takes a positive integer: a clear message and exit 2, no hang', async () => {
  for (const value of ['abc', '0', '-1', '1.5']) {
    const result = await pam(['worker', `--max-stages=${value}`]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim(), `--max-stages must be a positive whole number (stages computed at once), got "${value}"`);
  }
});

test('--force names only stages of the experiment (dry run or not), with the nearest stage id', async () => {
  for (const extra of [['--dry-run'], []]) {
    const result = await pam(['run', DEMO, '--force', 'tran', ...extra]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr.trim(),
      '--force tran: experiment demo has no stage "tran" (did you mean "train"?); its stages are data, train, evaluate',
    );
  }
});

test('pam server status: a readable block when no server runs, --json an object; exit 1', async () => {
  const readable = await pam(['server', 'status']);
  assert.equal(readable.code, 1);
  assert.equal(
    readable.stdout,
    [
      'Temporal dev server: not running (start it with `pam server start`)',
      `  address:  127.0.0.1:${port}`,
      `  Web UI:   http://127.0.0.1:${port + 1000}`,
      `  database: ${path.join(home, 'temporal', 'temporal.db')}`,
      '',
    ].join('\n'),
  );
  const json = await pam(['server', 'status', '--json']);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.stdout), {
    running: false,
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${port + 1000}`,
    dbFile: path.join(home, 'temporal', 'temporal.db'),
  });
});

test('a closed stdout (the reader stopped early) ends the command quietly with exit 0', async () => {
  const result = await pam(['run', DEMO, '--dry-run'], { closeStdout: true });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
});
