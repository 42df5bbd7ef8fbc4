/**
 * One stimulus photograph → the pixels of a `stimuli` table row (NHWC RGB in [-1, 1]). The recipe follows the
 * target preparation of the StyleGAN2-ADA projector (NVlabs/stylegan2-ada-pytorch `projector.py`): `convert('RGB')`,
 * centre crop to a square, resize to the generator's resolution; we resize with area averaging instead of LANCZOS
 * when shrinking (no ringing, and the same filter the projector applies before VGG16), see `resize.ts`. The final
 * mapping x / 127.5 − 1 is the inverse of the `(x + 1) · 127.5` that StyleGAN code uses to save images.
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { decodeImage } from '../codecs/image-decode.js';
import { centreCropSquare, resizeRgb } from '../codecs/resize.js';

/** Decode `bytes`, crop to the centred square and resize to `size × size`; `file` names the file in errors. */
export function prepareStimulus(bytes: Uint8Array, file: string, size: number): Float32Array {
  const image = decodeImage(bytes, file);
  if (image.width < 1 || image.height < 1) throw new DataValidationError(`${file}: the image is empty (${image.width}×${image.height})`);
  const square = centreCropSquare(image);
  const pixels = resizeRgb(square, size, size);
  // Clamp: the filters' weights are non-negative and sum to one, so only rounding can step past ±1.
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(-1, pixels[i]! / 127.5 - 1));
  return pixels;
}
