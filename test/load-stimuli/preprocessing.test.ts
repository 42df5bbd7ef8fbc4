/**
 * Decode + centre crop + resize against the independent Pillow/numpy expectation in fixtures/stimuli/expected.json
 * (made by scripts/fixtures/stimuli/make_stimuli.py), and the filter weights against hand-computed values.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataValidationError } from '../../src/errors/pipeline-errors.js';
import { decodeImage, sniffImageFormat } from '../../src/images/codecs/image-decode.js';
import { prepareStimulus } from '../../src/images/stimuli/prepare-stimulus.js';
import { axisWeights, centreCropSquare, resizeRgb } from '../../src/images/codecs/resize.js';
import { FIXTURE_FOLDER, readExpected } from './stimulus-fixture.js';

const expected = readExpected();
/** PNG decoding is lossless, so only float rounding separates us from Pillow. */
const PNG_TOLERANCE = 1e-5;
/**
 * jpeg-js and libjpeg (Pillow) differ in IDCT rounding and chroma upsampling: measured 0.96 levels (4:4:4) and
 * 2.9 levels (4:2:0) after averaging; 4 levels of 255 still catches a wrong crop, filter or colour mapping.
 */
const JPEG_TOLERANCE = 4 / 127.5;

for (const image of expected.images) {
  test(`${image.file} (${image.format}) matches the Pillow reference after crop + resize`, () => {
    const pixels = prepareStimulus(readFileSync(join(FIXTURE_FOLDER, image.file)), image.file, expected.size);
    assert.equal(pixels.length, expected.size * expected.size * 3);
    const tolerance = image.format === 'JPEG' ? JPEG_TOLERANCE : PNG_TOLERANCE;
    image.pixels.forEach((want, i) => {
      assert.ok(Math.abs(pixels[i]! - want) <= tolerance, `${image.file} value ${i}: got ${pixels[i]}, Pillow ${want}`);
    });
  });
}

test('the format comes from the signature: a PNG named .JPEG decodes as PNG', () => {
  const bytes = readFileSync(join(FIXTURE_FOLDER, 'test/n03000000_0003.JPEG'));
  assert.equal(sniffImageFormat(bytes), 'png');
  assert.equal(decodeImage(bytes, 'x').width, 8);
});

test('a tRNS transparent colour keeps its RGB (alpha is dropped, not applied)', () => {
  const image = decodeImage(readFileSync(join(FIXTURE_FOLDER, 'train/n02000000_0003.png')), 'trns.png');
  const at = (2 * image.width + 2) * 3;
  assert.deepEqual([...image.pixels.subarray(at, at + 3)], [10, 20, 30]);
});

test('area weights cover fractions of pixels; an integer factor is a plain mean', () => {
  const threeToTwo = axisWeights(3, 2);
  assert.deepEqual([...threeToTwo.first], [0, 1]);
  assert.deepEqual(
    threeToTwo.weights.map((w) => [...w].map((v) => +v.toFixed(12))),
    [
      [+(1 / 1.5).toFixed(12), +(0.5 / 1.5).toFixed(12)],
      [+(0.5 / 1.5).toFixed(12), +(1 / 1.5).toFixed(12)],
    ],
  );
  const fourToTwo = axisWeights(4, 2);
  assert.deepEqual(
    fourToTwo.weights.map((w) => [...w]),
    [
      [0.5, 0.5],
      [0.5, 0.5],
    ],
  );
  assert.deepEqual([...fourToTwo.first], [0, 2]);
});

test('enlarging is bilinear with half-pixel centres and clamped edges', () => {
  // 2 → 4: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
  const row = { width: 2, height: 1, pixels: Uint8Array.from([0, 0, 0, 100, 200, 40]) };
  const out = resizeRgb(row, 4, 1);
  assert.deepEqual([...out], [0, 0, 0, 25, 50, 10, 75, 150, 30, 100, 200, 40]);
});

test('centre crop takes the projector offsets ((w - s) // 2, (h - s) // 2)', () => {
  const wide = { width: 5, height: 2, pixels: Uint8Array.from({ length: 30 }, (_, i) => i) };
  const square = centreCropSquare(wide);
  assert.equal(square.width, 2);
  // left = 1: columns 1..2 of both rows.
  assert.deepEqual([...square.pixels], [3, 4, 5, 6, 7, 8, 18, 19, 20, 21, 22, 23]);
});

test('undecodable and truncated files fail with a DataValidationError naming the file', () => {
  const jpegBytes = readFileSync(join(FIXTURE_FOLDER, 'train/n01518878_5958.JPEG'));
  const pngBytes = readFileSync(join(FIXTURE_FOLDER, 'train/n01518878_10042.png'));
  const cases: [Uint8Array, RegExp][] = [
    [Buffer.from('hello, not an image'), /^a\.jpg: not a JPEG or PNG image \(19 bytes, starts with 68656c6c6f2c206e\)$/],
    [new Uint8Array(0), /^a\.jpg: not a JPEG or PNG image \(0 bytes, starts with nothing\)$/],
    [jpegBytes.subarray(0, jpegBytes.length - 40), /^a\.jpg: truncated JPEG: \d+ bytes and no end-of-image marker \(FF D9\)$/],
    [jpegBytes.subarray(0, 100), /^a\.jpg: truncated JPEG/],
    [pngBytes.subarray(0, pngBytes.length - 5), /^a\.jpg: truncated PNG: \d+ bytes and the chunk at byte \d+ is incomplete \(no IEND\)$/],
    [pngBytes.subarray(0, 40), /^a\.jpg: truncated PNG/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => decodeImage(bytes, 'a.jpg'),
      (e: unknown) => e instanceof DataValidationError && message.test(e.message),
    );
  }
  // Complete structure, corrupt content: the decoder's own error, with the file name.
  const corrupt = Buffer.from(pngBytes);
  corrupt[corrupt.length - 20] ^= 0xff; // inside IDAT: CRC mismatch
  assert.throws(() => decodeImage(corrupt, 'b.png'), /^DataValidationError: b\.png: cannot decode PNG: /);
});
