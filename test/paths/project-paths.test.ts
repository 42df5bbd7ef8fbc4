/** Project paths and the setup script's argument handling (the installs themselves need the network, not tested). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { projectRoot, referencePython, stateDir, temporalBinary, toolsDir } from '../../src/paths/project-paths.js';

test('paths derive from the repository root unless overridden by the environment', () => {
  const root = projectRoot();
  assert.equal(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name, 'pam-pipeline');
  assert.equal(stateDir({}), join(root, '.pam'));
  assert.equal(stateDir({ PAM_HOME: '/srv/pam-state' }), '/srv/pam-state');
  assert.equal(toolsDir(), join(root, '.tools'));
  assert.equal(referencePython(), join(root, '.tools', 'venv-ref', 'bin', 'python'));
  // Any existing file will do as an override; the binary is only checked for existence here.
  assert.equal(temporalBinary({ PAM_TEMPORAL_BIN: join(root, 'package.json') }), join(root, 'package.json'));
});

test('a missing Temporal CLI names the path and tells the user to run scripts/setup.sh', () => {
  assert.throws(
    () => temporalBinary({ PAM_TEMPORAL_BIN: '/nonexistent/temporal' }),
    (e: unknown) => e instanceof ConfigError && e.message.includes('/nonexistent/temporal') && e.message.includes('scripts/setup.sh'),
  );
});

test('setup.sh refuses unknown options and documents its flags', () => {
  const script = join(projectRoot(), 'scripts', 'setup.sh');
  const bad = spawnSync('bash', [script, '--with-gpu'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option '--with-gpu'/);
  const help = spawnSync('bash', [script, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--with-python/);
  assert.match(help.stdout, /--with-browser/);
});
