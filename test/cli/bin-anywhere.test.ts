/**
 * bin/pam runs from any working directory: it finds tsx and the CLI from its own location, not from the caller's
 * folder (`node --import tsx` would resolve tsx from the working directory and fail outside the repo).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PAM = fileURLToPath(new URL('../../bin/pam', import.meta.url));

/** Run `body` with a fresh folder outside the repo, removed afterwards. */
async function inUnrelatedFolder(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'pam-cwd-'));
  try {
    await body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

test('bin/pam --help by its full path from an unrelated folder prints the usage and exits 0', () =>
  inUnrelatedFolder(async (cwd) => {
    // execFile rejects on a non-zero exit, so resolving is the exit-0 check.
    const { stdout, stderr } = await run(PAM, ['--help'], { cwd, timeout: 60_000 });
    assert.match(stdout + stderr, /^usage:\n {2}pam run <pipeline\.yaml>/m);
    assert.doesNotMatch(stderr, /Cannot find package/);
  }));

test('bin/pam run --dry-run from an unrelated folder loads the command and plans the shipped demo', () =>
  inUnrelatedFolder(async (cwd) => {
    const demo = fileURLToPath(new URL('../../pipelines/demo.yaml', import.meta.url));
    const env = { ...process.env, PAM_HOME: join(cwd, '.pam') };
    const { stdout } = await run(PAM, ['run', demo, '--dry-run'], { cwd, env, timeout: 120_000 });
    assert.match(stdout, /^data\s+synthesize-b2g\s/m);
  }));
