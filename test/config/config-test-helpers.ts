/** Shared helpers of the config tests: fixture paths and an exact check of a ConfigError's lines. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/errors/pipeline-errors.js';

/** Absolute path of a file in test/fixtures-config (messages quote the path exactly as it was passed in). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures-config/${name}`, import.meta.url));
}

/**
 * Runs `load`, requires a ConfigError, and compares its message line by line: the header
 * `<file>: N config error(s):` and then exactly `expectedLines`, in order.
 */
export function assertConfigError(load: () => unknown, file: string, expectedLines: readonly string[]): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.retryable, false);
    const [header, ...lines] = error.message.split('\n');
    assert.equal(header, `${file}: ${expectedLines.length} config error(s):`);
    assert.deepEqual(lines, expectedLines);
    return true;
  });
}
