/**
 * PNG encoding with pngjs (`PNG.sync.write`): colour type 2 (RGB), 8-bit, filter type 0 on every scanline (the
 * cheapest to compute; these are small figures). Also the [-1, 1] float → 8-bit mapping the StyleGAN code uses for
 * saving (`(x + 1) · 127.5`, rounded, clamped).
 */
import { PNG, type PackerOptions } from 'pngjs';

/** Our pixels are tightly packed RGB: pngjs reads 3 bytes per pixel and writes them as they are. */
const RGB8: PackerOptions = { colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8, filterType: 0 };

/** An 8-bit RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Map NHWC float pixels in [-1, 1] of one image to 8-bit RGB. */
export function toRgb8(values: Float32Array, height: number, width: number): RgbImage {
  if (values.length !== height * width * 3) {
    throw new RangeError(`toRgb8: ${values.length} values do not make a ${height}×${width}×3 image`);
  }
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) pixels[i] = Math.min(255, Math.max(0, Math.round((values[i]! + 1) * 127.5)));
  return { width, height, pixels };
}

/** Encode an RGB image as PNG bytes. */
export function encodePng(image: RgbImage): Uint8Array {
  const { width, height, pixels } = image;
  const data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return PNG.sync.write(Object.assign(new PNG(), { width, height, data }), RGB8);
}
