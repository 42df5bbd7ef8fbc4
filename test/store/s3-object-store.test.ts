/**
 * The S3 ObjectStore (src/store/s3/) against moto's real server on loopback (test/support/s3-server.ts), one
 * that checks signatures: round trips hashed against node:crypto, multipart, create-only puts, pagination, and
 * the error contract — refused credentials and a missing bucket never retried, a dead server retried, no secret
 * in any message.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, StoreAccessError, StoreUnavailableError } from '../../src/errors/pipeline-errors.js';
import { openS3ObjectStore, type S3StoreOptions } from '../../src/store/s3/s3-object-store.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

let s3: S3TestServer;
before(async () => {
  s3 = await startS3Server({ auth: true });
});
after(async () => s3?.stop());

const folder = (): string => mkdtempSync(path.join(os.tmpdir(), 'pam-s3-'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const storeAt = (prefix: string, env: NodeJS.ProcessEnv = {}, options: S3StoreOptions = {}) =>
  openS3ObjectStore({ kind: 's3', uri: `s3://${s3.bucket}/${prefix}` }, { ...process.env, ...s3.env, ...env }, options);

test('bytes and files round trip; a file above the part size goes up in parts; an absent key is null', async () => {
  const store = storeAt('round');
  assert.equal(await store.putBytes('a/b.txt', Buffer.from('hello')), 'written');
  assert.equal(Buffer.from((await store.getBytes('a/b.txt'))!).toString(), 'hello');
  const big = new Uint8Array(12 << 20).map((_, i) => (i * 7919) % 251);
  const file = path.join(folder(), 'big.bin');
  writeFileSync(file, big);
  assert.equal(await store.putFile('big.bin', file), 'written');
  const copy = path.join(folder(), 'deep', 'copy.bin');
  const digest = await store.getFile('big.bin', copy);
  assert.deepEqual(digest, { sha256: sha256(big), bytes: big.length });
  assert.equal(sha256(readFileSync(copy)), sha256(big));
  assert.equal(await store.getBytes('nothing'), null);
  assert.equal(await store.getFile('nothing', path.join(folder(), 'x')), null);
});

test('create-only puts: the second writer is told the key exists and changes nothing, also in parts', async () => {
  const store = storeAt('once', {}, { partBytes: 5 << 20 });
  assert.equal(await store.putBytes('m.json', Buffer.from('first'), { ifAbsent: true }), 'written');
  assert.equal(await store.putBytes('m.json', Buffer.from('second'), { ifAbsent: true }), 'exists');
  assert.equal(Buffer.from((await store.getBytes('m.json'))!).toString(), 'first');
  const file = path.join(folder(), 'parts.bin');
  writeFileSync(file, new Uint8Array(11 << 20).fill(1));
  assert.equal(await store.putFile('parts.bin', file, { ifAbsent: true }), 'written');
  assert.equal(await store.putFile('parts.bin', file, { ifAbsent: true }), 'exists');
  const racers = await Promise.all([1, 2, 3, 4].map((i) => store.putBytes('race.json', Buffer.from(`writer ${i}`), { ifAbsent: true })));
  assert.equal(racers.filter((r) => r === 'written').length, 1, racers.join(', '));
});

test('list pages through every key under a prefix, relative to the store, sorted; delete removes them', async () => {
  const store = storeAt('listing', {}, { pageSize: 7 });
  const keys = Array.from({ length: 23 }, (_, i) => `dir/k-${String(i).padStart(2, '0')}`);
  await Promise.all(keys.map((k) => store.putBytes(k, Buffer.from(k))));
  await store.putBytes('other/x', Buffer.from('x'));
  assert.deepEqual(await store.list('dir/'), keys);
  await store.delete([...keys.slice(0, 20), 'dir/never-there']);
  assert.deepEqual(await store.list('dir/'), keys.slice(20));
});

test('wrong credentials: StoreAccessError naming the store, never the secret', async () => {
  const secret = 'not-the-secret-9f8e7d6c5b4a';
  const store = storeAt('denied', { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret });
  const error = await store.getBytes('x').then(
    () => assert.fail('a refused key read'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StoreAccessError, String(error));
  assert.match(
    error.message,
    new RegExp(`s3://${s3.bucket}/denied/x: get failed \\(InvalidAccessKeyId|s3://${s3.bucket}/denied/x: get failed`),
  );
  assert.doesNotMatch(`${String(error)} ${JSON.stringify(error)} ${String(error.cause)}`, new RegExp(secret));
  const badSecret = storeAt('denied', { AWS_SECRET_ACCESS_KEY: secret });
  await assert.rejects(badSecret.putBytes('x', Buffer.from('x')), StoreAccessError);
});

test('a missing bucket is StoreAccessError; a malformed URI is ConfigError; a dead server is StoreUnavailableError, quickly', async () => {
  const missing = openS3ObjectStore({ kind: 's3', uri: 's3://no-such-bucket/p' }, { ...process.env, ...s3.env });
  await assert.rejects(
    missing.getBytes('x'),
    (e: unknown) => e instanceof StoreAccessError && /s3:\/\/no-such-bucket\/p\/x.*NoSuchBucket/.test(e.message),
  );
  assert.throws(() => openS3ObjectStore({ kind: 's3', uri: 's3://Bad_Bucket/p' }), ConfigError);
  assert.throws(() => openS3ObjectStore({ kind: 's3', uri: 's3://bucket/a//b' }), ConfigError);
  const store = storeAt('outage', {}, { maxAttempts: 2 });
  await s3.kill();
  try {
    const started = Date.now();
    await assert.rejects(store.getBytes('x'), StoreUnavailableError);
    assert.ok(Date.now() - started < 10_000, `failed after ${Date.now() - started} ms`);
  } finally {
    await s3.restart();
  }
  assert.equal(await store.getBytes('x'), null, 'back after the outage');
});
