/**
 * A seeded simulator of the B2G experiment (Dado et al. 2023; PAM paper §2.2) with known ground truth: latents
 * z ~ N(0, latentScale² I) stand in for StyleGAN-XL w-latents, and each area's multi-unit responses come from its
 * own nonlinear, noisy encoder (`AreaEncoder`) whose informativeness is a parameter. Same config + seed → the same
 * numbers, bit for bit.
 *
 * Random streams are forked from the seed in a fixed order (train latents, test latents, then per area: encoder,
 * train noise, test noise), so e.g. changing `testRepetitions` leaves the training set untouched.
 */
import { Rng } from '../random/rng.js';
import { AreaEncoder } from './area-encoder.js';
import type { AreaModel, B2GConfig } from './b2g-config.js';

export interface B2GSplit {
  itemIds: string[];
  /** items × latentDim, row-major. */
  latents: Float32Array;
  /** One items × units matrix per area, in `areas` order. */
  responses: Float32Array[];
}

export interface B2GWorld {
  areas: AreaModel[];
  latentDim: number;
  train: B2GSplit;
  test: B2GSplit;
}

/**
 * Item ids follow B2G's stimulus numbering: test images first (`0001`–`0200`), training images after them
 * (`0201`…; docs/datasets.md §A.4), zero-padded to at least four digits.
 */
function itemIds(first: number, count: number, width: number): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i).padStart(width, '0'));
}

/** Simulate the whole world; `onArea` reports each finished area (for stage progress). */
export function simulateB2G(config: B2GConfig, seed: number, onArea?: (done: number, total: number, area: string) => void): B2GWorld {
  const root = new Rng(seed);
  const trainLatentRng = root.fork(0);
  const testLatentRng = root.fork(1);
  const areaStreams = config.areas.map((_, a) => ({
    encoder: root.fork(100 + a),
    trainNoise: root.fork(200 + a),
    testNoise: root.fork(300 + a),
  }));

  const trainLatents = trainLatentRng.normals(config.trainItems * config.latentDim, config.latentScale);
  const testLatents = testLatentRng.normals(config.testItems * config.latentDim, config.latentScale);
  const trainResponses: Float32Array[] = [];
  const testResponses: Float32Array[] = [];
  config.areas.forEach((area, a) => {
    const streams = areaStreams[a]!;
    const encoder = new AreaEncoder(area, config.latentDim, config.mixDims, config.latentScale, streams.encoder);
    trainResponses.push(encoder.respond(trainLatents, 1, streams.trainNoise));
    testResponses.push(encoder.respond(testLatents, config.testRepetitions, streams.testNoise));
    onArea?.(a + 1, config.areas.length, area.name);
  });

  const width = Math.max(4, String(config.testItems + config.trainItems).length);
  return {
    areas: config.areas,
    latentDim: config.latentDim,
    train: { itemIds: itemIds(config.testItems + 1, config.trainItems, width), latents: trainLatents, responses: trainResponses },
    test: { itemIds: itemIds(1, config.testItems, width), latents: testLatents, responses: testResponses },
  };
}
