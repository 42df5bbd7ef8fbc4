/** Acceptance (2): a worker killed mid-download resumes from its byte offset (HTTP Range) after a restart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DataCache } from '../../../src/data/cache/data-cache.js';
import { startFigshareLookalike } from '../../support/figshare-lookalike.js';
import { fixtureFiles, tempDir, testClient } from './helpers.js';

test('SIGKILL mid-download, then a new process resumes with Range: bytes=<offset>- and the file verifies', async () => {
  const mat = fixtureFiles()[0]!;
  const lookalike = await startFigshareLookalike({ files: [mat] });
  try {
    lookalike.setFault(mat.id, { kind: 'slow', chunkBytes: 4096, delayMs: 40 });
    const [file] = await testClient(lookalike).listFiles(lookalike.articleId);
    const cacheRoot = tempDir('pam-cache-');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/data/figshare/download-child.ts',
        JSON.stringify({ apiBaseUrl: lookalike.apiBaseUrl, storageHost: lookalike.storageHost, cacheRoot, file }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const last = Number(/bytes (\d+)\n$/.exec(seen)?.[1] ?? 0);
        if (last >= 20_000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    assert.equal(await exited, 'SIGKILL');

    const cache = new DataCache(cacheRoot);
    const offset = cache.partialBytes(mat.id);
    assert.ok(offset >= 20_000 && offset < mat.bytes.length, `partial holds ${offset} bytes`);
    assert.equal(cache.lookup(file!.computed_md5!), null, 'nothing committed by the killed worker');

    lookalike.setFault(mat.id, null);
    const result = await cache.fetch(testClient(lookalike), file!, { articleId: 1, version: null });
    assert.equal(result.resumedFrom, offset);
    assert.equal(lookalike.requestLog.filter((r) => r.server === 'storage').at(-1)?.range, `bytes=${offset}-`);
    assert.deepEqual(readFileSync(result.path), Buffer.from(mat.bytes));
  } finally {
    await lookalike.close();
  }
});
