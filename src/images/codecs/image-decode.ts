/**
 * Decode a JPEG or PNG photograph to 8-bit RGB, the way the StyleGAN2-ADA projector reads its target
 * (`PIL.Image.open(path).convert('RGB')`, NVlabs/stylegan2-ada-pytorch `projector.py`): alpha is dropped (not
 * composited), grayscale and palettes are expanded, EXIF orientation is not applied. The format comes from the
 * file's signature, not its extension (ImageNet, where the GOD stimuli come from, has a PNG named `.JPEG`).
 *
 * Decoders: `jpeg-js` (baseline and progressive JPEG; CMYK/YCCK use jpeg-js's own conversion, which can differ
 * from Pillow's) and `pngjs` (all PNG colour types and bit depths; 16-bit samples are rounded to 8 bits, where Pillow
 * keeps the high byte: at most one level apart). Both decoders accept a file that stops early, so completeness is
 * checked first by walking the file's structure, as Pillow refuses a truncated file ("image file is truncated").
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { RgbImage } from './png.js';

export type ImageFormat = 'jpeg' | 'png';

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** The format named by the file's first bytes, or null when it is neither JPEG (FF D8 FF) nor PNG. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  return null;
}

/**
 * Throw unless the JPEG's marker structure reaches its end-of-image marker (ITU-T T.81 §B.1: segments carry their
 * length, entropy-coded data ends at the first 0xFF not followed by 0x00 or a restart marker). Walking by segment
 * lengths skips an EXIF thumbnail's own end-of-image marker, so a cut-off file with a thumbnail is still caught.
 */
function checkJpegComplete(bytes: Uint8Array, file: string): void {
  const truncated = (): never => {
    throw new DataValidationError(`${file}: truncated JPEG: ${bytes.length} bytes and no end-of-image marker (FF D9)`);
  };
  let pos = 2;
  for (;;) {
    // Like libjpeg's next_marker: skip stray bytes and 0xFF fill bytes before a marker.
    while (pos < bytes.length && bytes[pos] !== 0xff) pos++;
    while (pos < bytes.length && bytes[pos] === 0xff) pos++;
    if (pos >= bytes.length) truncated();
    const marker = bytes[pos]!;
    pos++;
    if (marker === 0xd9) return;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // standalone markers, no length
    if (pos + 2 > bytes.length) truncated();
    const end = pos + ((bytes[pos]! << 8) | bytes[pos + 1]!);
    if (end > bytes.length) truncated();
    pos = end;
    if (marker !== 0xda) continue;
    // Start of scan: skip the entropy-coded data up to the next real marker.
    while (
      pos + 1 < bytes.length &&
      !(bytes[pos] === 0xff && bytes[pos + 1] !== 0x00 && (bytes[pos + 1]! < 0xd0 || bytes[pos + 1]! > 0xd7))
    )
      pos++;
    if (pos + 1 >= bytes.length) truncated();
  }
}

/**
 * Walk the PNG chunks (PNG spec §5.3: length, type, data, CRC), throw when the file ends before IEND, and return
 * the bytes without `tRNS` chunks: transparency only feeds alpha, which is dropped, and pngjs would otherwise
 * blacken every pixel of a grayscale/RGB image that has the transparent colour (its `replaceTransparentColor`).
 */
function pngWithoutTransparency(bytes: Uint8Array, file: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  for (let pos = 8; ; ) {
    const end = pos + 8 > bytes.length ? Infinity : pos + 12 + view.getUint32(pos);
    if (end > bytes.length) {
      throw new DataValidationError(`${file}: truncated PNG: ${bytes.length} bytes and the chunk at byte ${pos} is incomplete (no IEND)`);
    }
    const type = Buffer.from(bytes.subarray(pos + 4, pos + 8)).toString('latin1');
    if (type !== 'tRNS') kept.push(bytes.subarray(pos, end));
    if (type === 'IEND') break;
    pos = end;
  }
  return kept.length === 1 ? bytes : Buffer.concat(kept);
}

function rgbFromRgba(width: number, height: number, rgba: Uint8Array): RgbImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    pixels[3 * p] = rgba[4 * p]!;
    pixels[3 * p + 1] = rgba[4 * p + 1]!;
    pixels[3 * p + 2] = rgba[4 * p + 2]!;
  }
  return { width, height, pixels };
}

/** Decode JPEG or PNG bytes to 8-bit RGB; `file` names the file in errors (DataValidationError). */
export function decodeImage(bytes: Uint8Array, file: string): RgbImage {
  const format = sniffImageFormat(bytes);
  if (format === null) {
    const head = Buffer.from(bytes.subarray(0, 8)).toString('hex');
    throw new DataValidationError(`${file}: not a JPEG or PNG image (${bytes.length} bytes, starts with ${head || 'nothing'})`);
  }
  try {
    if (format === 'jpeg') {
      checkJpegComplete(bytes, file);
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
      return { width: decoded.width, height: decoded.height, pixels: decoded.data };
    }
    const decoded = PNG.sync.read(Buffer.from(pngWithoutTransparency(bytes, file)));
    return rgbFromRgba(decoded.width, decoded.height, decoded.data);
  } catch (cause) {
    if (cause instanceof DataValidationError) throw cause;
    throw new DataValidationError(`${file}: cannot decode ${format.toUpperCase()}: ${(cause as Error).message}`, { cause });
  }
}
