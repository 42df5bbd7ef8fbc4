/** Checkpoint folders (src/store/checkpoint-dir.ts): intact, interrupted and damaged ones, and the keep-two series. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  CHECKPOINT_MANIFEST,
  CheckpointDamage,
  CheckpointSeries,
  checkpointJson,
  openCheckpointDir,
  writeCheckpointDir,
} from '../../src/store/checkpoint-dir.js';
import { tempDir } from '../support/stage-context.js';

const asText = (files: ReadonlyMap<string, Buffer>) => Object.fromEntries([...files].map(([name, bytes]) => [name, bytes.toString()]));

function written(): string {
  const dir = join(tempDir('pam-ckpt-dir-'), 'one');
  writeCheckpointDir(dir, { 'a.txt': 'alpha', 'b.bin': Uint8Array.from([1, 2, 3, 4]) });
  return dir;
}

test('a written checkpoint opens intact with every file; a missing folder is absent', () => {
  const dir = written();
  const opened = openCheckpointDir(dir, asText);
  assert.deepEqual(opened, { status: 'intact', value: { 'a.txt': 'alpha', 'b.bin': '\x01\x02\x03\x04' } });
  assert.deepEqual(openCheckpointDir(join(dir, 'nothing'), asText), { status: 'absent' });
  assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'b.bin', CHECKPOINT_MANIFEST], 'no temporary file left behind');
});

test('damage is reported with its reason: no manifest, a truncated manifest, a flipped byte, a resized or missing file', () => {
  const cases: [string, (dir: string) => void, string][] = [
    ['interrupted write', (dir) => rmSync(join(dir, CHECKPOINT_MANIFEST)), `incomplete: no ${CHECKPOINT_MANIFEST}`],
    [
      'truncated manifest',
      (dir) => truncateSync(join(dir, CHECKPOINT_MANIFEST), readFileSync(join(dir, CHECKPOINT_MANIFEST)).length - 5),
      `${CHECKPOINT_MANIFEST} is not JSON`,
    ],
    [
      'manifest of another shape',
      (dir) => writeFileSync(join(dir, CHECKPOINT_MANIFEST), JSON.stringify({ formatVersion: 1, files: [{ path: '../x' }] })),
      `${CHECKPOINT_MANIFEST}: files.0.path: Invalid`,
    ],
    [
      'flipped byte',
      (dir) => {
        const bytes = readFileSync(join(dir, 'b.bin'));
        bytes[2]! ^= 0x40;
        writeFileSync(join(dir, 'b.bin'), bytes);
      },
      'b.bin sha256 mismatch',
    ],
    ['resized file', (dir) => writeFileSync(join(dir, 'a.txt'), 'alphabet'), 'a.txt has 8 bytes, 5 listed'],
    ['missing file', (dir) => rmSync(join(dir, 'a.txt')), 'a.txt missing'],
  ];
  for (const [label, damage, reason] of cases) {
    const dir = written();
    damage(dir);
    const opened = openCheckpointDir(dir, asText);
    assert.equal(opened.status, 'damaged', label);
    assert.ok(opened.status === 'damaged' && opened.reason.startsWith(reason), `${label}: ${JSON.stringify(opened)}`);
  }
});

test("a decoder's CheckpointDamage counts as damage; a JSON file is validated by its schema", () => {
  const dir = join(tempDir('pam-ckpt-dir-'), 'json');
  writeCheckpointDir(dir, { 'state.json': JSON.stringify({ epoch: 'three' }) });
  const schema = z.object({ epoch: z.number() });
  assert.deepEqual(
    openCheckpointDir(dir, (files) => checkpointJson(files, 'state.json', schema)),
    { status: 'damaged', reason: 'state.json: epoch: Expected number, received string' },
  );
  assert.deepEqual(
    openCheckpointDir(dir, () => {
      throw new CheckpointDamage('not what was expected');
    }),
    { status: 'damaged', reason: 'not what was expected' },
  );
  // Any other error is a bug, not damage: it propagates.
  assert.throws(() =>
    openCheckpointDir(dir, () => {
      throw new TypeError('bug');
    }),
  );
});

test('rewriting a checkpoint replaces it whole', () => {
  const dir = written();
  writeCheckpointDir(dir, { 'a.txt': 'again' });
  assert.deepEqual(openCheckpointDir(dir, asText), { status: 'intact', value: { 'a.txt': 'again' } });
});

test('a series keeps the newest two, falls back past damage, and drops steps above a rewritten one', () => {
  const root = tempDir('pam-ckpt-series-');
  const series = new CheckpointSeries(root, 'epoch');
  for (const epoch of [2, 4, 6, 8]) series.save(epoch, { 'n.txt': String(epoch) });
  assert.deepEqual(readdirSync(root).sort(), ['epoch-6', 'epoch-8']);
  const read = (files: ReadonlyMap<string, Buffer>) => files.get('n.txt')!.toString();
  assert.deepEqual(series.newest(read), { found: { step: 8, value: '8' }, damaged: [] });

  writeFileSync(join(root, 'epoch-8', 'n.txt'), '9');
  assert.deepEqual(series.newest(read), { found: { step: 6, value: '6' }, damaged: [{ step: 8, reason: 'n.txt sha256 mismatch' }] });
  rmSync(join(root, 'epoch-6', CHECKPOINT_MANIFEST));
  assert.deepEqual(series.newest(read).found, null);

  // Starting over after both were damaged: the first new checkpoint removes the damaged ones above it.
  series.save(2, { 'n.txt': '2' });
  assert.deepEqual(readdirSync(root), ['epoch-2']);
  assert.ok(!existsSync(join(root, 'epoch-8')));
});
