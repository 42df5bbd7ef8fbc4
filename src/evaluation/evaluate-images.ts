/**
 * The image half of evaluation (paper §2.3, Table 2; Figs. 4, 6–7): reconstructions = generator(predicted latents)
 * for every decoder, LPIPS and perceptual similarity against the stimuli per test item, every image as PNG, a contact
 * sheet (stimulus / decoders rows, Fig. 4) and per-area value images (generator applied to each area's PAM values).
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import { contactSheet, type ContactRow } from './figures/contact-sheet.js';
import type { FeatureNetwork } from '../images/feature-nets/feature-network.js';
import type { ImageGenerator } from '../images/generators/generator.js';
import { computeImageMetrics, type ImageBatch } from './image-metrics.js';
import type { LpipsHead } from './lpips.js';
import { encodePng, toRgb8, type RgbImage } from '../images/codecs/png.js';
import { renderStimuli } from '../images/generators/render.js';
import type { Stimuli } from '../tables/stimuli.js';

export interface ImageEvaluationInput {
  itemIds: readonly string[];
  /** Test stimuli in `itemIds` order. */
  stimuli: ImageBatch;
  /** Each decoder's predicted latents, items × latentDim in `itemIds` order. */
  decoders: readonly { name: string; latents: Float32Array }[];
  /** PAM's per-area values (items × latentDim, `itemIds` order), when the train stage wrote them. */
  areaValues: readonly { area: string; values: Float32Array }[];
  generator: ImageGenerator;
  featureNet: FeatureNetwork;
  lpips: LpipsHead;
  perceptualSize: number;
  /** Items shown in the contact sheets (the paper shows ten). */
  contactItems: number;
  writeFile(name: string, bytes: Uint8Array): void;
  progress(message: string): void;
}

export interface DecoderImageScores {
  decoder: string;
  metric: string;
  values: Float64Array;
}

/** Test stimuli in item order: from a `stimuli` table when given, else rendered from the true test latents. */
export async function testStimuli(
  itemIds: readonly string[],
  stimuli: Stimuli | null,
  trueLatents: Float32Array | null,
  generator: ImageGenerator,
): Promise<ImageBatch> {
  if (stimuli) {
    const rowOf = new Map(stimuli.ids.map((id, i) => [id, i]));
    const size = stimuli.height * stimuli.width * 3;
    const pixels = new Float32Array(itemIds.length * size);
    itemIds.forEach((id, i) => {
      const row = rowOf.get(id);
      if (row === undefined) throw new DataValidationError(`stimuli table (${stimuli.source}): no image for test item "${id}"`);
      pixels.set(stimuli.pixels.subarray(row * size, (row + 1) * size), i * size);
    });
    return { pixels, height: stimuli.height, width: stimuli.width };
  }
  if (!trueLatents)
    throw new DataValidationError('image metrics need stimulus images: give an `images` input or a dataset with test latents');
  return { pixels: await renderStimuli(trueLatents, generator), height: generator.height, width: generator.width };
}

function rgbImages(batch: ImageBatch, count: number): RgbImage[] {
  const size = batch.height * batch.width * 3;
  return Array.from({ length: count }, (_, i) => toRgb8(batch.pixels.subarray(i * size, (i + 1) * size), batch.height, batch.width));
}

function writePngs(input: ImageEvaluationInput, folder: string, images: readonly RgbImage[]): void {
  images.forEach((image, i) => {
    input.writeFile(`images/${folder}/${input.itemIds[i]}.png`, encodePng(image));
  });
}

/** Score every decoder's reconstructions and write the figures; returns per-item scores by decoder and metric. */
export async function evaluateImages(input: ImageEvaluationInput): Promise<DecoderImageScores[]> {
  const { generator, stimuli, itemIds } = input;
  if (stimuli.height !== generator.height || stimuli.width !== generator.width) {
    throw new DataValidationError(
      `stimuli are ${stimuli.height}×${stimuli.width}, but ${generator.label} makes ${generator.height}×${generator.width} reconstructions`,
    );
  }
  const shown = Math.min(input.contactItems, itemIds.length);
  const stimulusImages = rgbImages(stimuli, itemIds.length);
  writePngs(input, 'stimulus', stimulusImages);
  const rows: ContactRow[] = [{ label: 'stimulus', images: stimulusImages.slice(0, shown) }];
  const scores: DecoderImageScores[] = [];
  for (const decoder of input.decoders) {
    input.progress(`rendering and scoring ${decoder.name} reconstructions`);
    const reconstructions: ImageBatch = {
      pixels: await renderStimuli(decoder.latents, generator, undefined, (done, total) =>
        input.progress(`rendered ${done}/${total} ${decoder.name} reconstructions`),
      ),
      height: generator.height,
      width: generator.width,
    };
    const images = rgbImages(reconstructions, itemIds.length);
    writePngs(input, decoder.name, images);
    rows.push({ label: decoder.name, images: images.slice(0, shown) });
    const metrics = await computeImageMetrics({
      stimuli,
      reconstructions,
      featureNet: input.featureNet,
      lpips: input.lpips,
      perceptualSize: input.perceptualSize,
      onBatch: (done, total) => input.progress(`scored ${done}/${total} ${decoder.name} reconstructions`),
    });
    for (const [metric, values] of Object.entries(metrics)) scores.push({ decoder: decoder.name, metric, values });
  }
  input.writeFile('contact-sheet.png', encodePng(contactSheet(rows)));
  if (input.areaValues.length > 0) {
    input.progress('rendering per-area value images');
    const valueRows: ContactRow[] = [rows[0]!];
    for (const { area, values } of input.areaValues) {
      const images = rgbImages(
        {
          pixels: await renderStimuli(values, generator, undefined, (done, total) =>
            input.progress(`rendered ${done}/${total} ${area} value images`),
          ),
          height: generator.height,
          width: generator.width,
        },
        itemIds.length,
      );
      writePngs(input, `values-${area}`, images);
      valueRows.push({ label: area, images: images.slice(0, shown) });
    }
    input.writeFile('value-images.png', encodePng(contactSheet(valueRows)));
  }
  return scores;
}
