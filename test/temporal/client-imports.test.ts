/**
 * `pam status` is client side: loading it must not load `@temporalio/worker` (the native Rust worker core, only
 * needed where a worker runs). Checked in a fresh node process: a CommonJS package imported from ESM lands in
 * the CommonJS module cache (`require.cache`), which lists every file it loaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The `@temporalio/*` packages a fresh process has loaded after importing these repo modules (with no command-line
 * arguments left, so importing the CLI entry only prints its usage).
 */
function temporalPackagesLoadedBy(...modules: string[]): string[] {
  const probe = `
    import { createRequire } from 'node:module';
    import { pathToFileURL } from 'node:url';
    for (const module of process.argv.splice(1)) await import(pathToFileURL(module).href);
    const files = Object.keys(createRequire(process.cwd() + '/').cache);
    const names = files.map((f) => /node_modules[\\\\/](@temporalio[\\\\/][^\\\\/]+)/.exec(f)?.[1].replace('\\\\', '/'));
    console.log(JSON.stringify([...new Set(names.filter(Boolean))].sort()));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe, ...modules.map((m) => ROOT + m)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as string[];
}

test('the status command and the experiment client load the Temporal client, never the worker', () => {
  const loaded = temporalPackagesLoadedBy('src/cli/main.ts', 'src/cli/commands/status.ts', 'src/temporal/experiment-client.ts');
  assert.ok(loaded.includes('@temporalio/client'), `the probe sees loaded packages (${loaded.join(', ')})`);
  assert.ok(!loaded.includes('@temporalio/worker'), `loaded: ${loaded.join(', ')}`);
  assert.ok(!loaded.includes('@temporalio/core-bridge'), `loaded: ${loaded.join(', ')}`);
});

test('the probe does see the worker where one is built', () => {
  assert.ok(temporalPackagesLoadedBy('src/temporal/pipeline-worker.ts').includes('@temporalio/worker'));
});
