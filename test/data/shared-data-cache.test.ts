/**
 * The download cache shared through an s3 store (src/data/cache/shared-data-cache.ts) against moto on loopback:
 * what one worker downloaded reaches another worker's cache, verified by md5; an altered file is passed over.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataCache, type CacheEntry } from '../../src/data/cache/data-cache.js';
import { SharedDataCache } from '../../src/data/cache/shared-data-cache.js';
import { openS3ObjectStore } from '../../src/store/s3/s3-object-store.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

let s3: S3TestServer;
before(async () => {
  s3 = await startS3Server();
});
after(async () => s3?.stop());

const folder = (name: string): string => mkdtempSync(path.join(os.tmpdir(), `pam-${name}-`));

/** Put a downloaded file into the cache at `root` the way a download commits it: file, then sidecar. */
function cached(root: string, name: string, bytes: Buffer): CacheEntry {
  const cache = new DataCache(root);
  const md5 = createHash('md5').update(bytes).digest('hex');
  const entry: CacheEntry = {
    articleId: 1,
    version: 1,
    fileId: bytes.length,
    name,
    size: bytes.length,
    md5,
    downloadedAt: new Date().toISOString(),
  };
  mkdirSync(path.dirname(cache.pathOf(entry)), { recursive: true });
  writeFileSync(cache.pathOf(entry), bytes);
  writeFileSync(cache.sidecarOf(md5), JSON.stringify(entry));
  return entry;
}

test('entries one worker downloaded reach another worker, md5-verified; an altered file never counts', async () => {
  const remote = openS3ObjectStore({ kind: 's3', uri: `s3://${s3.bucket}/data` }, { ...process.env, ...s3.env });
  const [a, b] = [folder('cache-a'), folder('cache-b')];
  const good = cached(a, 'sub-01.h5', Buffer.from('fMRI of subject 1'));
  const bad = cached(a, 'sub-02.h5', Buffer.from('fMRI of subject 2'));
  const shared = new SharedDataCache(remote);
  assert.deepEqual((await shared.push(a)).sort(), ['sub-01.h5', 'sub-02.h5']);
  assert.deepEqual(await shared.push(a), [], 'nothing new the second time');
  await remote.putBytes(`data-cache/md5/${bad.md5}/${bad.name}`, Buffer.from('fMRI of subject X'));

  assert.deepEqual(await new SharedDataCache(remote).pull(b), ['sub-01.h5']);
  const cache = new DataCache(b);
  assert.deepEqual(cache.lookup(good.md5), good);
  assert.equal(readFileSync(cache.pathOf(good), 'utf8'), 'fMRI of subject 1');
  assert.equal(cache.lookup(bad.md5), null);
  assert.equal(existsSync(cache.pathOf(bad)), false, 'the altered file is not left in the cache');
});
