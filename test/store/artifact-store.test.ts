import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactStore, cacheKey, localProducer } from '../../src/store/artifact-store.js';
import { buildTable } from '../../src/tables/arrow-tables.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import type { CacheKeyParts } from '../../src/store/artifact-manifest.js';

const parts: CacheKeyParts = { stage: 'toy', codeVersion: '1', params: { n: 3 }, inputKeys: {}, seed: 1 };

async function commitToy(store: ArtifactStore) {
  const staging = store.createStaging('toy', cacheKey(parts));
  staging.writeTable('numbers', buildTable({ x: { kind: 'float32-vector', width: 2, values: Float32Array.from([1, 2, 3, 4]) } }));
  staging.writeFile('notes/readme.txt', 'hello');
  return store.commit(staging, { keyParts: parts, inputs: {}, summary: { rows: 2 }, startedAt: new Date(), producer: localProducer() });
}

test('cache key ignores key order and changes with any part', () => {
  const reordered: CacheKeyParts = { seed: 1, inputKeys: {}, params: { n: 3 }, codeVersion: '1', stage: 'toy' };
  assert.equal(cacheKey(parts), cacheKey(reordered));
  assert.notEqual(cacheKey(parts), cacheKey({ ...parts, seed: 2 }));
  assert.notEqual(cacheKey(parts), cacheKey({ ...parts, codeVersion: '2' }));
  assert.notEqual(cacheKey(parts), cacheKey({ ...parts, params: { n: 4 } }));
  assert.notEqual(cacheKey(parts), cacheKey({ ...parts, inputKeys: { dataset: 'abc' } }));
});

test('commit writes a manifest with hashes, rows and schema, and the artifact verifies intact', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-store-')));
  const { manifest, dir } = await commitToy(store);
  assert.equal(manifest.key, cacheKey(parts));
  const arrow = manifest.files.find((f) => f.path === 'numbers.arrow')!;
  assert.equal(arrow.rows, 2);
  assert.deepEqual(arrow.schema, ['x: FixedSizeList[2]<Float32>']);
  assert.ok(manifest.files.some((f) => f.path === 'notes/readme.txt' && f.bytes === 5));
  assert.equal((await store.verify('toy', manifest.key)).status, 'intact');
  const input = openArtifactInput(dir);
  assert.equal(input.readTable('numbers').numRows, 2);
  assert.equal(readdirSync(path.join(store.root, 'artifacts', '.staging')).length, 0, 'staging folder is gone');
});

test('a truncated Arrow file is detected, named, and quarantined', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-store-')));
  const { dir, manifest } = await commitToy(store);
  const file = path.join(dir, 'numbers.arrow');
  truncateSync(file, readFileSync(file).length - 7);
  const verdict = await store.verify('toy', manifest.key);
  assert.equal(verdict.status, 'corrupt');
  assert.match((verdict as { reason: string }).reason, /numbers\.arrow: \d+ bytes, manifest says \d+ \(truncated or altered\)/);
  const movedTo = store.quarantine('toy', manifest.key);
  assert.ok(movedTo !== null && existsSync(movedTo));
  assert.equal(store.quarantine('toy', manifest.key), null, 'a second quarantine of the same key finds it already moved');
  assert.equal((await store.verify('toy', manifest.key)).status, 'missing');
});

test('an altered file of the same size is detected by its hash', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-store-')));
  const { dir, manifest } = await commitToy(store);
  writeFileSync(path.join(dir, 'notes/readme.txt'), 'HELLO');
  const verdict = await store.verify('toy', manifest.key);
  assert.equal(verdict.status, 'corrupt');
  assert.match((verdict as { reason: string }).reason, /readme\.txt: sha256 .* differs from the manifest/);
});

test('a second commit of the same key keeps the first (immutable) and drops the staged copy', async () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-store-')));
  const first = await commitToy(store);
  const second = await commitToy(store);
  assert.equal(second.manifest.timings.startedAt, first.manifest.timings.startedAt);
});

test('staged files cannot escape the artifact folder', () => {
  const store = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-store-')));
  const staging = store.createStaging('toy', 'k');
  assert.throws(() => staging.writeFile('../escape.txt', 'x'), /must stay inside the artifact/);
  assert.throws(() => staging.writeFile('manifest.json', 'x'), /must stay inside the artifact/);
});
