/**
 * Output tables of `invert-latents`: the chosen seed's latent per image, and the LPIPS of every image × seed. Schema
 * metadata `models` (generator, featureNet, lpips labels) says which weights produced the numbers.
 */
import { z } from 'zod';
import { float32Vector, float64, int32, json, utf8 } from './column-types.js';
import { defineTable, type TableSink, type TableSource } from './define-table.js';
import type { FinishedImage } from '../inversion/finished-images.js';

/** Labels of the generator, feature network and LPIPS weights used. */
const MODELS = json(z.record(z.string()));

/** `latents`: one row per image, the latent of its best seed. */
export const INVERTED_LATENTS = defineTable({
  name: 'latents',
  columns: { image_id: utf8(), latent: float32Vector(), seed: int32(), lpips: float64() },
  metadata: { models: MODELS },
});

/** `lpips-by-seed`: one row per image × seed. */
export const LPIPS_BY_SEED = defineTable({
  name: 'lpips-by-seed',
  columns: { image_id: utf8(), seed: int32(), lpips: float64() },
  metadata: { models: MODELS },
});

export function writeInversionTables(
  sink: TableSink,
  results: readonly FinishedImage[],
  latentDim: number,
  models: Record<string, string>,
): void {
  const chosen = new Float32Array(results.length * latentDim);
  results.forEach((r, i) => {
    chosen.set(r.latents.slice(r.best * latentDim, (r.best + 1) * latentDim), i * latentDim);
  });
  INVERTED_LATENTS.write(
    sink,
    {
      image_id: results.map((r) => r.imageId),
      latent: { width: latentDim, values: chosen },
      seed: results.map((r) => r.seeds[r.best]!),
      lpips: results.map((r) => r.lpips[r.best]!),
    },
    { models },
  );
  LPIPS_BY_SEED.write(
    sink,
    {
      image_id: results.flatMap((r) => r.seeds.map(() => r.imageId)),
      seed: results.flatMap((r) => r.seeds),
      lpips: results.flatMap((r) => r.lpips),
    },
    { models },
  );
}

/** Concatenate the shards' tables (in shard order) into the stage's final tables; the models are shard 0's. */
export function mergeInversionTables(sink: TableSink, shards: readonly TableSource[]): { images: number; models: Record<string, string> } {
  const latents = shards.map((shard) => INVERTED_LATENTS.read(shard));
  const merged = INVERTED_LATENTS.concat(latents);
  const { models } = latents[0]!.metadata;
  INVERTED_LATENTS.write(sink, merged, { models });
  LPIPS_BY_SEED.write(sink, LPIPS_BY_SEED.concat(shards.map((shard) => LPIPS_BY_SEED.read(shard))), { models });
  return { images: latents.reduce((n, t) => n + t.rows, 0), models };
}
