/** Acceptance (4): hostile pickles, missing datasets and truncated HDF5 files fail with precise messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafePickle } from '../../../src/data/loaders/safe-pickle.js';
import { readB2gLatents } from '../../../src/data/loaders/b2g-latents.js';
import { readB2gMua } from '../../../src/data/loaders/b2g-mua.js';
import { columnsOfKey, readBData } from '../../../src/data/loaders/bdata.js';
import { DataValidationError } from '../../../src/errors/pipeline-errors.js';

const DIR = 'fixtures/formats';
const tmp = mkdtempSync(join(tmpdir(), 'pam-malformed-'));
const latin1 = (s: string) => Buffer.from(s, 'latin1');

test('a pickle that calls os.system (protocol 2 GLOBAL) is refused before anything runs', () => {
  // pickle.dumps of an object whose __reduce__ returns (os.system, ('touch /tmp/pwned',)), protocol 2.
  const hostile = latin1('\x80\x02cposix\nsystem\nq\x00X\x10\x00\x00\x00touch /tmp/pwnedq\x01\x85q\x02Rq\x03.');
  assert.throws(
    () => readSafePickle(hostile, 'evil.pickle'),
    (e: Error) => e instanceof DataValidationError && /evil\.pickle: .*byte 2: refusing global "posix system"/.test(e.message),
  );
});

test('a protocol-5 pickle reaching builtins.eval through STACK_GLOBAL is refused', () => {
  const hostile = latin1('\x80\x05\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R.');
  assert.throws(() => readSafePickle(hostile, 'w.pickle'), /w\.pickle: .*refusing global "builtins eval"/);
});

test('a pickle with an opcode outside the allowed set names the opcode and offset', () => {
  const inst = latin1('\x80\x02(iposix\nsystem\n.');
  assert.throws(() => readSafePickle(inst, 'x.pickle'), /x\.pickle: unsafe or unsupported pickle at byte 3: opcode 0x69 is not allowed/);
});

test('a truncated w pickle is reported as truncated, not as a short array', () => {
  const path = join(tmp, 'cut.pickle');
  writeFileSync(path, readFileSync(`${DIR}/b2g/StyleGAN_XL_w.pickle`).subarray(0, 5000));
  assert.throws(
    () => readB2gLatents(path),
    (e: Error) => e instanceof DataValidationError && e.message.includes('cut.pickle') && /truncated/.test(e.message),
  );
});

test('an HDF5 file without train_MUA names the file and the dataset path', async () => {
  const path = `${DIR}/god/sub-01_perceptionNaturalImageTest_original_VC.h5`;
  await assert.rejects(
    readB2gMua(path),
    (e: Error) =>
      e instanceof DataValidationError &&
      e.message.startsWith(path) &&
      e.message.includes('dataset "train_MUA" is missing') &&
      e.message.includes('root has: dataset, metadata'),
  );
});

test('a truncated HDF5 file gives the on-disk and expected sizes', async () => {
  const path = join(tmp, 'cut.mat');
  writeFileSync(path, readFileSync(`${DIR}/b2g/StyleGAN_XL_MUA.mat`).subarray(0, 60000));
  await assert.rejects(readB2gMua(path), /cut\.mat: truncated HDF5 file: 60000 bytes on disk, its superblock says 117248/);
});

test('a file that is not HDF5 at all, and a missing file, are named', async () => {
  await assert.rejects(readBData(`${DIR}/b2g/StyleGAN_XL_w.pickle`), /StyleGAN_XL_w\.pickle: not an HDF5 file/);
  await assert.rejects(readBData(join(tmp, 'absent.h5')), /absent\.h5: cannot read the file \(ENOENT\)/);
});

test('a BData file without ROI metadata fails listing the keys it has', async () => {
  const bdata = await readBData(`${DIR}/god/sub-02_perceptionNaturalImageTraining_VC_v2.h5`);
  assert.throws(() => columnsOfKey(bdata, 'ROI_hV4'), /sub-02_.*metadata has no key "ROI_hV4" \(keys: VoxelData, voxel_x, ROI_VC/);
});
