/** Content fingerprints of external inputs (src/store/fingerprints.ts): digests, the stat cache, and its damage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { hashFile } from '../../src/store/file-io.js';
import { FingerprintCache } from '../../src/store/fingerprints.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOUR_AGO = new Date(Date.now() - 3_600_000);

/** A folder of files, dated an hour ago (older than the racy window, so their digests are remembered). */
function folderOf(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pam-fingerprints-'));
  const folder = path.join(root, 'images');
  for (const [name, text] of Object.entries(files)) write(path.join(folder, name), text);
  return folder;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, HOUR_AGO, HOUR_AGO);
}

/** A cache in its own state folder whose hash function counts the files it reads. */
function countingCache(): { cache: FingerprintCache; reads: string[] } {
  const reads: string[] = [];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pam-state-')), 'fingerprints.json');
  const cache = new FingerprintCache(file, async (f) => {
    reads.push(path.basename(f));
    return (await hashFile(f)).sha256;
  });
  return { cache, reads };
}

test('a file is its sha256; a folder digests its sorted names and file digests, hidden files skipped', async () => {
  const folder = folderOf({ 'train/b.png': 'B', 'train/a.png': 'A', 'test/c.png': 'C', '.DS_Store': 'x', 'train/.hidden': 'y' });
  const { cache } = countingCache();
  assert.deepEqual(await cache.fingerprint({ label: 'weights', path: path.join(folder, 'train/a.png'), kind: 'file' }), {
    sha256: sha256('A'),
  });
  const { sha256: digest, files } = await cache.fingerprint({ label: 'stimulus folder', path: folder, kind: 'folder' });
  assert.deepEqual(files, { 'test/c.png': sha256('C'), 'train/a.png': sha256('A'), 'train/b.png': sha256('B') });
  assert.equal(digest, sha256(`test/c.png\t${sha256('C')}\ntrain/a.png\t${sha256('A')}\ntrain/b.png\t${sha256('B')}\n`));
});

test('a second lookup re-reads no unchanged file, and re-reads exactly the one that changed', async () => {
  const folder = folderOf({ 'train/a.png': 'A', 'train/b.png': 'B', 'test/c.png': 'C' });
  const { cache, reads } = countingCache();
  const input = { label: 'stimulus folder', path: folder, kind: 'folder' } as const;
  const first = await cache.fingerprint(input);
  assert.equal(reads.length, 3);

  // A fresh cache over the same state file: the digests come from fingerprints.json, not from the images.
  const again = new FingerprintCache(cache.file, async () => assert.fail('an unchanged file was re-read'));
  assert.deepEqual(await again.fingerprint(input), first);

  write(path.join(folder, 'train/b.png'), 'b');
  const changed = await cache.fingerprint(input);
  assert.deepEqual(reads.slice(3), ['b.png']);
  assert.equal(changed.files?.['train/b.png'], sha256('b'));
  assert.notEqual(changed.sha256, first.sha256);
});

test('same size, restored mtime: still re-read, because the ctime moved', async () => {
  const folder = folderOf({ 'w.bin': 'AAAA' });
  const { cache, reads } = countingCache();
  const input = { label: 'weights', path: path.join(folder, 'w.bin'), kind: 'file' } as const;
  await cache.fingerprint(input);
  write(input.path, 'BBBB');
  assert.deepEqual(await cache.fingerprint(input), { sha256: sha256('BBBB') });
  assert.equal(reads.length, 2);
});

test('a corrupt fingerprints.json is ignored and rebuilt, never fatal', async () => {
  const folder = folderOf({ 'm.yaml': 'dataset: b2g' });
  const { cache, reads } = countingCache();
  writeFileSync(cache.file, '{"formatVersion": 1, "files": {"x": {"size": "not a number"');
  const input = { label: 'data manifest', path: path.join(folder, 'm.yaml'), kind: 'file' } as const;
  assert.deepEqual(await cache.fingerprint(input), { sha256: sha256('dataset: b2g') });
  assert.equal(reads.length, 1);
  const rebuilt = JSON.parse(readFileSync(cache.file, 'utf8')) as { files: Record<string, { sha256: string }> };
  assert.equal(rebuilt.files[input.path]?.sha256, sha256('dataset: b2g'));
});

test('a missing path, or a file where a folder is expected, is a ConfigError naming the input', async () => {
  const folder = folderOf({ 'a.png': 'A' });
  const { cache } = countingCache();
  await assert.rejects(
    cache.fingerprint({ label: 'data manifest', path: path.join(folder, 'nope.yaml'), kind: 'file' }),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /^data manifest .*nope\.yaml: expected a file, found nothing$/);
      return true;
    },
  );
  await assert.rejects(
    cache.fingerprint({ label: 'stimulus folder', path: path.join(folder, 'a.png'), kind: 'folder' }),
    /stimulus folder .*a\.png: expected a folder, found a file/,
  );
});
