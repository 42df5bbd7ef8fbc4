/**
 * The fault hook itself (src/threads/thread-faults.ts): `kill` SIGKILLs the whole process, `@<n>` fires at the
 * n-th pass of a name only, other names and an unset variable do nothing, an unknown fault is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { injectFault } from '../../src/threads/thread-faults.js';

const HOOK = new URL('../../src/threads/thread-faults.ts', import.meta.url).href;

test('`point@2=kill` lets the first pass through and SIGKILLs the process at the second', () => {
  const script = `const { injectFault } = await import(${JSON.stringify(HOOK)});
for (const pass of [1, 2, 3]) { console.log('pass', pass); injectFault('artifact-staged:train'); }`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, PAM_THREAD_FAULT: 'artifact-staged:evaluate=exit1,artifact-staged:train@2=kill' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  assert.equal(child.stdout, 'pass 1\npass 2\n');
});

test('other names and an unset variable do nothing; an unknown fault is a ConfigError', () => {
  assert.doesNotThrow(() => injectFault('stage:train', 'stage:evaluate=kill'));
  assert.doesNotThrow(() => injectFault('stage:train', undefined));
  assert.throws(() => injectFault('stage:train', 'stage:train=explode'), ConfigError);
});
