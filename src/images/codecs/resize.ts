/**
 * Centre crop and resize of RGB images, separable (rows, then columns, as Pillow's `ImagingResample` does).
 *
 * Shrinking averages areas: every output pixel is the mean of the input area it covers, with partly covered input
 * pixels weighted by the covered fraction (OpenCV `cv::resize` INTER_AREA when shrinking). It is a box filter as wide
 * as the output pixel, so it low-passes before subsampling and does not alias fine texture into moiré the way point
 * sampling or plain bilinear would. For an integer factor it equals Pillow `Image.reduce` / BOX and PyTorch
 * `F.interpolate(mode='area')`, the filter the StyleGAN2-ADA projector uses to bring images to 256 px before VGG16.
 * Enlarging is bilinear with half-pixel centres and clamped edges (Pillow BILINEAR when enlarging; PyTorch
 * `mode='bilinear', align_corners=False`): area averaging would only replicate pixels there.
 */
import type { RgbImage } from './png.js';

/** Output pixel `i` = Σ_k weights[i][k] · input[first[i] + k] along one axis. */
export interface AxisWeights {
  first: Int32Array;
  weights: Float64Array[];
}

/** Exact-coverage box weights for `inSize → outSize` (outSize < inSize): output i covers [i·s, (i+1)·s), s = in/out. */
function areaWeights(inSize: number, outSize: number): AxisWeights {
  const first = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let i = 0; i < outSize; i++) {
    const start = (i * inSize) / outSize;
    const end = ((i + 1) * inSize) / outSize;
    const lo = Math.floor(start);
    const hi = Math.min(inSize, Math.ceil(end));
    const w = new Float64Array(hi - lo);
    for (let j = lo; j < hi; j++) w[j - lo] = Math.min(end, j + 1) - Math.max(start, j);
    const total = w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < w.length; k++) w[k]! /= total;
    first[i] = lo;
    weights.push(w);
  }
  return { first, weights };
}

/** Bilinear weights for `inSize → outSize` (outSize ≥ inSize): sample at (i + 0.5)·in/out − 0.5, clamped to the edges. */
function bilinearWeights(inSize: number, outSize: number): AxisWeights {
  const first = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let i = 0; i < outSize; i++) {
    const source = Math.min(inSize - 1, Math.max(0, ((i + 0.5) * inSize) / outSize - 0.5));
    const lo = Math.floor(source);
    const t = source - lo;
    first[i] = lo;
    weights.push(lo + 1 < inSize ? Float64Array.of(1 - t, t) : Float64Array.of(1));
  }
  return { first, weights };
}

/** The weights this module uses for one axis: area averaging when shrinking, bilinear otherwise. */
export function axisWeights(inSize: number, outSize: number): AxisWeights {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new RangeError(`axisWeights: sizes must be positive integers, got ${inSize} → ${outSize}`);
  }
  return outSize < inSize ? areaWeights(inSize, outSize) : bilinearWeights(inSize, outSize);
}

/** The largest centred square, with the projector's offsets `((w − s) // 2, (h − s) // 2)`, s = min(w, h). */
export function centreCropSquare(image: RgbImage): RgbImage {
  const side = Math.min(image.width, image.height);
  const left = Math.floor((image.width - side) / 2);
  const top = Math.floor((image.height - side) / 2);
  const pixels = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const from = ((top + y) * image.width + left) * 3;
    pixels.set(image.pixels.subarray(from, from + side * 3), y * side * 3);
  }
  return { width: side, height: side, pixels };
}

/** Resize to `outWidth × outHeight`; returns row-major RGB floats on the input's 0..255 scale. */
export function resizeRgb(image: RgbImage, outWidth: number, outHeight: number): Float32Array {
  const { width, height, pixels } = image;
  if (width < 1 || height < 1) throw new RangeError(`resizeRgb: empty ${width}×${height} image`);
  const across = axisWeights(width, outWidth);
  const down = axisWeights(height, outHeight);
  // Rows first: height × outWidth × 3 intermediate.
  const rows = new Float64Array(height * outWidth * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      const w = across.weights[x]!;
      const base = (y * width + across.first[x]!) * 3;
      let r = 0,
        g = 0,
        b = 0;
      for (let k = 0; k < w.length; k++) {
        r += w[k]! * pixels[base + 3 * k]!;
        g += w[k]! * pixels[base + 3 * k + 1]!;
        b += w[k]! * pixels[base + 3 * k + 2]!;
      }
      const o = (y * outWidth + x) * 3;
      rows[o] = r;
      rows[o + 1] = g;
      rows[o + 2] = b;
    }
  }
  const out = new Float32Array(outHeight * outWidth * 3);
  const stride = outWidth * 3;
  for (let y = 0; y < outHeight; y++) {
    const w = down.weights[y]!;
    const first = down.first[y]!;
    for (let i = 0; i < stride; i++) {
      let sum = 0;
      for (let k = 0; k < w.length; k++) sum += w[k]! * rows[(first + k) * stride + i]!;
      out[y * stride + i] = sum;
    }
  }
  return out;
}
