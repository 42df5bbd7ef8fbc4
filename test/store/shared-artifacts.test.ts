/**
 * The shared side of the artifact store against a real S3-compatible server (moto on loopback,
 * test/support/s3-server.ts): publish and verified fetch, two writers of one key, a tampered object, the server
 * dying mid-upload, checkpoints mirrored and pruned, failed attempts' logs beside them, the local cache's size limit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreUnavailableError } from '../../src/errors/pipeline-errors.js';
import { lookUpArtifact, pinArtifacts } from '../../src/store/artifact-lookup.js';
import { ArtifactStore } from '../../src/store/artifact-store.js';
import { CheckpointSeries } from '../../src/store/checkpoint-dir.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { openS3ObjectStore } from '../../src/store/s3/s3-object-store.js';
import { SharedArtifacts } from '../../src/store/shared-artifacts.js';
import { SharedCheckpoints } from '../../src/store/shared-checkpoints.js';
import { attemptLogName } from '../../src/store/stage-log-files.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

let s3: S3TestServer;
before(async () => {
  s3 = await startS3Server();
});
after(async () => s3?.stop());

const folder = (name: string): string => mkdtempSync(path.join(os.tmpdir(), `pam-${name}-`));
const remoteAt = (prefix: string): ObjectStore =>
  openS3ObjectStore({ kind: 's3', uri: `s3://${s3.bucket}/${prefix}` }, { ...process.env, ...s3.env });
const noWarn = () => undefined;

/** Commit an artifact of `stage` whose key depends on `seed` only, holding `files`. */
async function commitLocal(store: ArtifactStore, seed: number, files: Record<string, string | Uint8Array>) {
  const staging = store.createStaging('demo', 'pending');
  for (const [name, bytes] of Object.entries(files)) staging.writeFile(name, bytes);
  return store.commit(staging, {
    keyParts: { stage: 'demo', codeVersion: '1', params: {}, inputKeys: {}, seed },
    inputs: {},
    summary: { files: Object.keys(files).length },
    startedAt: new Date(),
    producer: { host: 'test', pid: process.pid, nodeVersion: process.version },
  });
}

test('a published artifact is fetched into another cache, verified, byte for byte', async () => {
  const remote = remoteAt('roundtrip');
  const writer = new ArtifactStore(folder('writer'));
  const { manifest, dir } = await commitLocal(writer, 1, { 'a.bin': new Uint8Array(300_000).fill(7), 'sub/b.txt': 'hello' });
  assert.equal(await new SharedArtifacts(remote, writer).isPublished('demo', manifest.key), false);
  await new SharedArtifacts(remote, writer).publish(manifest, dir);
  const reader = new ArtifactStore(folder('reader'));
  const fetched = await new SharedArtifacts(remote, reader).fetch('demo', manifest.key);
  assert.equal(fetched.status, 'fetched');
  assert.equal((await reader.verify('demo', manifest.key)).status, 'intact');
  assert.deepEqual(readFileSync(path.join(reader.artifactDir('demo', manifest.key), 'sub/b.txt'), 'utf8'), 'hello');
  assert.equal((await new SharedArtifacts(remote, reader).fetch('demo', 'f'.repeat(64))).status, 'missing');
});

test('two writers of one key with different bytes: one manifest lands, both end up with its files', async () => {
  const remote = remoteAt('race');
  const [a, b] = [new ArtifactStore(folder('a')), new ArtifactStore(folder('b'))];
  const [ca, cb] = [await commitLocal(a, 2, { 'x.bin': 'from a' }), await commitLocal(b, 2, { 'x.bin': 'from b, longer' })];
  assert.equal(ca.manifest.key, cb.manifest.key);
  const [pa, pb] = await Promise.all([
    new SharedArtifacts(remote, a).publish(ca.manifest, ca.dir),
    new SharedArtifacts(remote, b).publish(cb.manifest, cb.dir),
  ]);
  assert.deepEqual(pa.files, pb.files, 'both report the manifest that landed');
  for (const store of [a, b]) {
    assert.equal((await store.verify('demo', ca.manifest.key)).status, 'intact');
    assert.deepEqual(
      readFileSync(path.join(store.artifactDir('demo', ca.manifest.key), 'x.bin')),
      readFileSync(path.join(a.artifactDir('demo', ca.manifest.key), 'x.bin')),
    );
  }
  const fetched = await new SharedArtifacts(remote, new ArtifactStore(folder('c'))).fetch('demo', ca.manifest.key);
  assert.equal(fetched.status, 'fetched', 'what landed is intact');
});

test('a tampered object in the store: the fetch reports it, retracts the manifest, and the key reads as missing', async () => {
  const remote = remoteAt('tamper');
  const writer = new ArtifactStore(folder('writer'));
  const { manifest, dir } = await commitLocal(writer, 3, { 'x.bin': 'original bytes' });
  await new SharedArtifacts(remote, writer).publish(manifest, dir);
  const object = (await remote.list('demo/')).find((k) => k.endsWith('/x.bin'))!;
  await remote.putBytes(object, Buffer.from('altered bytes!'));
  const shared = new SharedArtifacts(remote, new ArtifactStore(folder('reader')));
  const fetched = await shared.fetch('demo', manifest.key);
  assert.equal(fetched.status, 'corrupt');
  assert.match(fetched.status === 'corrupt' ? fetched.reason : '', /x\.bin: 14 bytes, sha256 .*manifest says/);
  assert.match(fetched.status === 'corrupt' ? fetched.movedTo : '', /\/\.quarantine\/demo-/);
  assert.equal((await shared.fetch('demo', manifest.key)).status, 'missing');
});

test('the server dies mid-upload: the publish fails as retryable, no manifest is visible, the next publish commits', async () => {
  const remote = remoteAt('outage');
  const writer = new ArtifactStore(folder('writer'));
  const files = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`part-${i}.bin`, new Uint8Array(400_000).fill(i)]));
  const { manifest, dir } = await commitLocal(writer, 4, files);
  const cut = s3.killAfterUpload(2_000_000);
  const publishing = new SharedArtifacts(remote, writer).publish(manifest, dir);
  await assert.rejects(publishing, StoreUnavailableError);
  await cut;
  await s3.restart();
  const reader = new SharedArtifacts(remote, new ArtifactStore(folder('reader')));
  assert.equal(await reader.isPublished('demo', manifest.key), false, 'no manifest without its files');
  // What the worker does on its next lookup of the key: its local commit is intact, so it publishes.
  const found = await lookUpArtifact(
    writer,
    { artifacts: new SharedArtifacts(remote, writer), cacheLimitBytes: 2 ** 40 },
    'demo',
    manifest.key,
    noWarn,
  );
  assert.equal(found.status, 'intact');
  assert.equal((await reader.fetch('demo', manifest.key)).status, 'fetched');
});

test('checkpoints: pushed as they come, pruned with the local series, pulled verified on another host, dropped on commit', async () => {
  const remote = remoteAt('checkpoints');
  const [here, there] = [folder('partial-a'), folder('partial-b')];
  const series = new CheckpointSeries(path.join(here, 'baseline'), 'epoch');
  const mirror = new SharedCheckpoints(remote);
  for (const epoch of [1, 2, 3]) {
    series.save(epoch, { 'state.json': JSON.stringify({ epoch }), 'tensors.bin': new Uint8Array(1000).fill(epoch) });
    await mirror.push('train', 'k', here);
  }
  const listed = (await remote.list('partial/train/k/')).filter((k) => k.endsWith('checkpoint.json'));
  assert.deepEqual(listed, ['partial/train/k/baseline/epoch-2/checkpoint.json', 'partial/train/k/baseline/epoch-3/checkpoint.json']);
  const pulled = await new SharedCheckpoints(remote).pull('train', 'k', there);
  assert.deepEqual(pulled.sort(), ['baseline/epoch-2', 'baseline/epoch-3']);
  const newest = new CheckpointSeries(path.join(there, 'baseline'), 'epoch').newest((files) =>
    JSON.parse(files.get('state.json')!.toString()),
  );
  assert.deepEqual(newest.found, { step: 3, value: { epoch: 3 } });

  await remote.putBytes('partial/train/k/baseline/epoch-3/tensors.bin', new Uint8Array(1000).fill(9));
  const elsewhere = folder('partial-c');
  assert.deepEqual(
    await new SharedCheckpoints(remote).pull('train', 'k', elsewhere),
    ['baseline/epoch-2'],
    'the altered one is passed over',
  );
  assert.equal(existsSync(path.join(elsewhere, 'baseline', 'epoch-3', 'checkpoint.json')), false);

  await mirror.drop('train', 'k');
  assert.deepEqual(await remote.list('partial/train/k/'), []);
});

test('the local cache keeps to its limit, least recently used first, never evicting an artifact in use', async () => {
  const remote = remoteAt('evict');
  const writer = new ArtifactStore(folder('writer'));
  const keys: string[] = [];
  for (const seed of [10, 11, 12]) {
    const { manifest, dir } = await commitLocal(writer, seed, { 'x.bin': new Uint8Array(100_000).fill(seed) });
    await new SharedArtifacts(remote, writer).publish(manifest, dir);
    keys.push(manifest.key);
  }
  const cache = new ArtifactStore(folder('cache'));
  const side = { artifacts: new SharedArtifacts(remote, cache), cacheLimitBytes: 250_000 };
  const unpin = pinArtifacts([`demo/${keys[0]}`]);
  try {
    for (const key of keys) assert.equal((await lookUpArtifact(cache, side, 'demo', key, noWarn)).status, 'intact');
    const held = keys.map((key) => existsSync(cache.artifactDir('demo', key)));
    assert.deepEqual(held, [true, false, true], 'the pinned oldest stays, the next oldest goes');
  } finally {
    unpin();
  }
  assert.equal((await lookUpArtifact(cache, side, 'demo', keys[1]!, noWarn)).status, 'intact', 'an evicted artifact is fetched again');
});

test("a failed attempt's log goes beside the shared checkpoints, survives their pruning, reads back oldest first, goes on commit", async () => {
  const remote = remoteAt('attempt-logs');
  const here = folder('partial-logs');
  const mirror = new SharedCheckpoints(remote);
  const older = attemptLogName(new Date('2026-12-03T10:00:00.000Z'), 1);
  const newer = attemptLogName(new Date('2026-12-03T10:05:00.000Z'), 2);
  await mirror.putAttemptLog('train', 'k', newer, 'second\n');
  await mirror.putAttemptLog('train', 'k', older, 'first\n');
  new CheckpointSeries(path.join(here, 'pam'), 'epoch').save(1, { 'state.json': '{}' });
  await mirror.push('train', 'k', here);
  assert.deepEqual(await new SharedCheckpoints(remote).attemptLogs('train', 'k'), [
    { name: 'attempt-20261203T100000.000Z-1.log', text: 'first\n' },
    { name: 'attempt-20261203T100500.000Z-2.log', text: 'second\n' },
  ]);
  await mirror.drop('train', 'k');
  assert.deepEqual(await mirror.attemptLogs('train', 'k'), []);
});
