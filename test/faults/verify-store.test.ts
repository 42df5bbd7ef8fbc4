/**
 * The fault suite's verifier must itself catch every damage the suite inflicts, or a passing suite means nothing:
 * a flipped byte, a truncation, a missing manifest, an unlisted file in an artifact or checkpoint, and each kind
 * of leftover. Built on a hand-made PAM_HOME, no server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteFile, flipMiddleByte, truncateToHalf } from './disk-damage.js';
import { artifactDifferences, verifyStore } from './verify-store.js';

const KEY = 'a'.repeat(64);
const ARROW = Buffer.concat([Buffer.from('ARROW1\0\0'), Buffer.alloc(64, 7), Buffer.from('ARROW1')]);

/** A home with one committed artifact (one Arrow file) and one complete checkpoint of an uncommitted key. */
function home(): { dir: string; artifact: string; checkpoint: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pam-verify-'));
  const artifact = path.join(dir, 'artifacts', 'train', KEY);
  mkdirSync(artifact, { recursive: true });
  writeFileSync(path.join(artifact, 'predictions.arrow'), ARROW);
  const listed = (bytes: Buffer, name: string) => ({
    path: name,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  const files = [listed(ARROW, 'predictions.arrow')];
  writeFileSync(
    path.join(artifact, 'manifest.json'),
    JSON.stringify({ stage: 'train', key: KEY, files, summary: {}, producer: { attempt: 1 } }),
  );
  const checkpoint = path.join(dir, 'partial', 'train', 'b'.repeat(64), 'baseline', 'epoch-1');
  mkdirSync(checkpoint, { recursive: true });
  const tensors = Buffer.alloc(32, 3);
  writeFileSync(path.join(checkpoint, 'tensors.bin'), tensors);
  writeFileSync(path.join(checkpoint, 'checkpoint.json'), JSON.stringify({ formatVersion: 1, files: [listed(tensors, 'tensors.bin')] }));
  return { dir, artifact, checkpoint };
}

test('an intact home verifies: one artifact, one checkpoint, nothing damaged or left over', () => {
  const { dir } = home();
  const report = verifyStore(dir);
  assert.deepEqual(report.damaged, []);
  assert.deepEqual(report.leftovers, []);
  assert.equal(report.checkpoints, 1);
  assert.deepEqual(artifactDifferences(report, verifyStore(dir)), []);
});

test('every damage the suite inflicts is reported, and the damaged artifact no longer counts as a result', () => {
  const damages: [string, (h: ReturnType<typeof home>) => void, RegExp][] = [
    [
      'flipped artifact byte',
      (h) => flipMiddleByte(path.join(h.artifact, 'predictions.arrow')),
      /artifact train\/a+: predictions.arrow sha256 differs/,
    ],
    [
      'truncated artifact',
      (h) => truncateToHalf(path.join(h.artifact, 'predictions.arrow')),
      /predictions.arrow has 39 bytes, manifest says 78/,
    ],
    ['deleted manifest', (h) => deleteFile(path.join(h.artifact, 'manifest.json')), /manifest.json missing or unreadable/],
    ['unlisted file', (h) => writeFileSync(path.join(h.artifact, 'extra.arrow'), ARROW), /extra.arrow is not in the manifest/],
    [
      'flipped checkpoint byte',
      (h) => flipMiddleByte(path.join(h.checkpoint, 'tensors.bin')),
      /checkpoint train\/b+….*epoch-1: tensors.bin sha256 differs/,
    ],
  ];
  for (const [what, damage, expected] of damages) {
    const h = home();
    const before = verifyStore(h.dir);
    damage(h);
    const after = verifyStore(h.dir);
    assert.equal(after.damaged.length, 1, what);
    assert.match(after.damaged[0]!, expected, what);
    if (!what.includes('checkpoint')) assert.deepEqual(artifactDifferences(before, after), [`train/${'a'.repeat(12)}… missing`], what);
  }
});

test('leftovers: staging folders, temporary files, incomplete checkpoints, checkpoints of a committed key', () => {
  const h = home();
  mkdirSync(path.join(h.dir, 'artifacts', '.staging', `train-${KEY.slice(0, 16)}~host~123~0~beef`), { recursive: true });
  writeFileSync(path.join(h.checkpoint, 'tensors.bin.tmp~host~123~0~beef'), 'x');
  const incomplete = path.join(path.dirname(h.checkpoint), 'epoch-2');
  mkdirSync(incomplete);
  writeFileSync(path.join(incomplete, 'tensors.bin'), 'x');
  mkdirSync(path.join(h.dir, 'partial', 'train', KEY, 'pam'), { recursive: true });
  const { leftovers } = verifyStore(h.dir);
  assert.equal(leftovers.length, 4, leftovers.join('\n'));
  for (const pattern of [
    /^staging folder/,
    /^temporary file partial\/.*tensors\.bin\.tmp~/,
    /^incomplete checkpoint .*epoch-2/,
    /^checkpoints of committed train/,
  ])
    assert.ok(
      leftovers.some((l) => pattern.test(l)),
      `${pattern}: ${leftovers.join('\n')}`,
    );
});

test("a failed attempt's log beside the checkpoints is no leftover; a stage.log that differs is no result difference", () => {
  const h = home();
  writeFileSync(path.join(path.dirname(path.dirname(h.checkpoint)), 'attempt-20261203T100000.000Z-1.log'), 'failed\n');
  assert.deepEqual(verifyStore(h.dir).leftovers, []);
  const withLog = (text: string) => {
    const report = verifyStore(h.dir);
    report.artifacts.get(`train/${KEY}`)!.set('stage.log', text);
    return report;
  };
  assert.deepEqual(artifactDifferences(withLog('one attempt'), withLog('another')), []);
  const other = withLog('x');
  other.artifacts.get(`train/${KEY}`)!.set('predictions.arrow', '0'.repeat(64));
  assert.equal(artifactDifferences(withLog('x'), other).length, 1);
});
