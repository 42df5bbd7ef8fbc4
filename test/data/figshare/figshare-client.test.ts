/** Acceptance (1): every fault of the look-alike ends resumed, retried, or as a clear non-retryable error. */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DataCache } from '../../../src/data/cache/data-cache.js';
import { PermanentNetworkError, TransientNetworkError } from '../../../src/errors/pipeline-errors.js';
import type { FigshareFile } from '../../../src/data/figshare/figshare-file.js';
import { md5Hex, startFigshareLookalike, type FigshareLookalike } from '../../support/figshare-lookalike.js';
import { fixtureFiles, tempDir, testClient } from './helpers.js';

const files = fixtureFiles();
const mat = files[0]!;
let lookalike: FigshareLookalike;
let listing: FigshareFile[];

before(async () => {
  lookalike = await startFigshareLookalike({ files });
  listing = await testClient(lookalike).listFiles(lookalike.articleId);
});
after(() => lookalike.close());
beforeEach(() => {
  for (const f of files) lookalike.setFault(f.id, null);
  lookalike.requestLog.length = 0;
});

const remote = (id: number) => listing.find((f) => f.id === id)!;
/** Nothing may sit where a loader reads (`md5/<md5>/`) unless it verified. */
const committed = (root: string) => (existsSync(join(root, 'md5')) ? readdirSync(join(root, 'md5')) : []);

test('listing walks every page (page_size 2 → 3 pages for 5 files) and pins a version in the path', async () => {
  assert.deepEqual(
    listing.map((f) => f.name),
    files.map((f) => f.name),
  );
  assert.equal(listing[0]!.computed_md5, md5Hex(mat.bytes));
  await testClient(lookalike).listFiles(lookalike.articleId, 13);
  const pages = lookalike.requestLog.map((r) => r.path);
  assert.deepEqual(
    pages,
    [1, 2, 3].map((p) => `/v2/articles/${lookalike.articleId}/versions/13/files?page=${p}&page_size=2`),
  );
});

test('an unknown article is a permanent 404', async () => {
  await assert.rejects(
    testClient(lookalike).listFiles(999),
    (e: Error) => e instanceof PermanentNetworkError && /article 999 files page 1: HTTP 404/.test(e.message),
  );
});

test('a clean download lands verified in the cache; a second experiment gets a cache hit with no request', async () => {
  const root = tempDir('pam-cache-');
  const cache = new DataCache(root);
  const first = await cache.fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  assert.equal(first.cacheHit, false);
  assert.deepEqual(readFileSync(first.path), Buffer.from(mat.bytes));
  assert.equal(first.path, join(root, 'md5', md5Hex(mat.bytes), mat.name));
  const requests = lookalike.requestLog.length;
  const second = await new DataCache(root).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  assert.equal(second.cacheHit, true);
  assert.equal(second.path, first.path);
  assert.equal(lookalike.requestLog.length, requests);
});

test('the token goes to the API host only, never to the storage host', async () => {
  process.env.FIGSHARE_TOKEN = 'secret-token';
  try {
    await new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  } finally {
    delete process.env.FIGSHARE_TOKEN;
  }
  const api = lookalike.requestLog.filter((r) => r.server === 'api');
  const storage = lookalike.requestLog.filter((r) => r.server === 'storage');
  assert.ok(api.length > 0 && api.every((r) => r.hadAuthorization));
  assert.ok(storage.length > 0 && storage.every((r) => !r.hadAuthorization));
});

test('a connection dropped mid-body is resumed with Range from the received offset', async () => {
  lookalike.setFault(mat.id, { kind: 'drop-mid-body', afterBytes: 40_000 }, 1);
  const result = await new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), {
    articleId: 1234,
    version: null,
  });
  assert.deepEqual(readFileSync(result.path), Buffer.from(mat.bytes));
  const ranges = lookalike.requestLog.filter((r) => r.server === 'storage').map((r) => r.range);
  assert.deepEqual(ranges, [null, 'bytes=40000-']);
});

test('a wrong md5 once is re-downloaded from byte 0; twice is a permanent error and nothing is committed', async () => {
  lookalike.setFault(mat.id, { kind: 'wrong-md5' }, 1);
  const ok = await new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  assert.equal(md5Hex(readFileSync(ok.path)), md5Hex(mat.bytes));
  lookalike.setFault(mat.id, { kind: 'wrong-md5' });
  const root = tempDir('pam-cache-');
  await assert.rejects(
    new DataCache(root).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null }),
    (e: Error) =>
      e instanceof PermanentNetworkError && /md5 [0-9a-f]{32} ≠ expected [0-9a-f]{32}, again after a fresh re-download/.test(e.message),
  );
  assert.deepEqual(committed(root), []);
  assert.equal(existsSync(join(root, 'partial', `${mat.id}.part`)), false);
});

test('a 202 WAF challenge with an empty body is retried, then fails permanently naming the challenge', async () => {
  lookalike.setFault(mat.id, { kind: 'challenge-202' });
  const root = tempDir('pam-cache-');
  await assert.rejects(
    new DataCache(root).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null }),
    (e: Error) =>
      e instanceof PermanentNetworkError &&
      /HTTP 202 with no content \(x-amzn-waf-action: challenge.*giving up after 4 attempts/.test(e.message),
  );
  assert.equal(lookalike.requestLog.filter((r) => r.status === 202).length, 4);
  assert.deepEqual(committed(root), []);
});

test('403 is retried (intermittent on figshare) and becomes permanent only when it persists', async () => {
  lookalike.setFault(mat.id, { kind: 'forbidden-403' }, 2);
  await new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  lookalike.setFault(mat.id, { kind: 'forbidden-403' });
  await assert.rejects(
    new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null }),
    (e: Error) => e instanceof PermanentNetworkError && /HTTP 403 .*giving up after 4 attempts/.test(e.message),
  );
});

test('429 waits for Retry-After, then succeeds', async () => {
  lookalike.setFault(mat.id, { kind: 'rate-limit-429', retryAfterSeconds: 1 }, 1);
  const started = Date.now();
  await new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  assert.ok(Date.now() - started >= 950, 'the Retry-After second was honoured');
  assert.deepEqual(
    lookalike.requestLog.filter((r) => r.server === 'api').map((r) => r.status),
    [429, 302],
  );
});

test('a redirect to a host outside the allow-list fails at once, without contacting it', async () => {
  lookalike.setFault(mat.id, { kind: 'foreign-redirect', host: 'evil.example:8080' });
  await assert.rejects(
    new DataCache(tempDir('pam-cache-')).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null }),
    (e: Error) =>
      e instanceof PermanentNetworkError && /redirected to host "evil\.example:8080", which is not in the allowed hosts/.test(e.message),
  );
  assert.equal(lookalike.requestLog.length, 1);
});

test('a hostile file name in the listing is refused', async () => {
  lookalike.setFault(mat.id, { kind: 'hostile-name', name: '../../etc/passwd' });
  await assert.rejects(
    testClient(lookalike).listFiles(lookalike.articleId),
    (e: Error) =>
      e instanceof PermanentNetworkError &&
      /item 0: refusing file name "\.\.\/\.\.\/etc\/passwd": it contains a path separator/.test(e.message),
  );
  lookalike.setFault(mat.id, { kind: 'hostile-name', name: 'a\u0007b.mat' });
  await assert.rejects(testClient(lookalike).listFiles(lookalike.articleId), /contains a control character/);
});

test('a stalled body times out and each retry resumes where the last one stopped', async () => {
  lookalike.setFault(mat.id, { kind: 'slow', chunkBytes: 30_000, delayMs: 400 });
  const result = await new DataCache(tempDir('pam-cache-')).fetch(
    testClient(lookalike, { maxAttempts: 12, idleTimeoutMs: 150 }),
    remote(mat.id),
    { articleId: 1234, version: null },
  );
  assert.deepEqual(readFileSync(result.path), Buffer.from(mat.bytes));
  // Each stalled attempt keeps its 30000-byte chunk, so the resume offsets climb by chunks (a slow machine may add
  // an attempt that times out before its first chunk, which repeats an offset but never goes back).
  const offsets = lookalike.requestLog
    .filter((r) => r.server === 'storage')
    .map((r) => Number(/bytes=(\d+)-/.exec(r.range ?? '')?.[1] ?? 0));
  assert.deepEqual([...new Set(offsets)], [0, 30000, 60000, 90000]);
  assert.ok(offsets.every((o, i) => i === 0 || o >= offsets[i - 1]!));
});

test('transient failures that never heal stay retryable for the workflow, with the partial kept for resuming', async () => {
  lookalike.setFault(mat.id, { kind: 'drop-mid-body', afterBytes: 1000 });
  const root = tempDir('pam-cache-');
  await assert.rejects(
    new DataCache(root).fetch(testClient(lookalike, { maxAttempts: 2 }), remote(mat.id), { articleId: 1234, version: null }),
    (e: Error) => e instanceof TransientNetworkError && /stopped at byte 2000 of 117248\).*giving up after 2 attempts/.test(e.message),
  );
  assert.equal(new DataCache(root).partialBytes(mat.id), 2000);
  assert.deepEqual(committed(root), []);
});

test('a partial locked by a live process is left alone (retry later); a dead owner’s lock is taken over', async () => {
  const root = tempDir('pam-cache-');
  mkdirSync(join(root, 'partial'), { recursive: true });
  const lock = join(root, 'partial', `${mat.id}.part.lock`);
  writeFileSync(lock, String(process.pid));
  await assert.rejects(
    new DataCache(root).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null }),
    (e: Error) => e instanceof TransientNetworkError && e.message.includes(`already being downloaded by process ${process.pid}`),
  );
  assert.equal(lookalike.requestLog.length, 0);
  writeFileSync(lock, String(spawnSync('true').pid));
  const result = await new DataCache(root).fetch(testClient(lookalike), remote(mat.id), { articleId: 1234, version: null });
  assert.equal(md5Hex(readFileSync(result.path)), md5Hex(mat.bytes));
  assert.equal(existsSync(lock), false);
});
