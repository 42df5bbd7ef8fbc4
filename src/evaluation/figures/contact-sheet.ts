/**
 * Contact sheet (the paper's Fig. 4 layout): one row per labelled image set (stimulus / PAM / baseline …), one column
 * per test item, with a fixed gap of mid-grey between tiles.
 */
import type { RgbImage } from '../../images/codecs/png.js';

export interface ContactRow {
  label: string;
  images: readonly RgbImage[];
}

const GAP_PX = 2;
const GAP_GREY = 128;

/** Tile rows × columns of equally sized images into one RGB image. */
export function contactSheet(rows: readonly ContactRow[]): RgbImage {
  const first = rows[0]?.images[0];
  if (!first) throw new RangeError('contactSheet: needs at least one row with one image');
  const { width: tileW, height: tileH } = first;
  const columns = Math.max(...rows.map((r) => r.images.length));
  const width = columns * tileW + (columns + 1) * GAP_PX;
  const height = rows.length * tileH + (rows.length + 1) * GAP_PX;
  const pixels = new Uint8Array(width * height * 3).fill(GAP_GREY);
  rows.forEach((row, r) => {
    row.images.forEach((image, c) => {
      if (image.width !== tileW || image.height !== tileH) {
        throw new RangeError(`contactSheet: row "${row.label}" image ${c} is ${image.width}×${image.height}, expected ${tileW}×${tileH}`);
      }
      const x0 = GAP_PX + c * (tileW + GAP_PX);
      const y0 = GAP_PX + r * (tileH + GAP_PX);
      for (let y = 0; y < tileH; y++) {
        pixels.set(image.pixels.subarray(y * tileW * 3, (y + 1) * tileW * 3), ((y0 + y) * width + x0) * 3);
      }
    });
  });
  return { width, height, pixels };
}
