/**
 * Output tables of `invert-latents`:
 *   `latents`:       image_id, latent FixedSizeList<Float32>[d] (the chosen seed's), seed Int32, lpips Float64
 *   `lpips-by-seed`: image_id, seed Int32, lpips Float64 (every image × every seed)
 * Schema metadata `models` (JSON: generator, featureNet, lpips labels) says which weights produced the numbers.
 */
import type { Table } from 'apache-arrow';
import { buildTable, readFloat32Matrix, readNumbers, readStrings } from './arrow-tables.js';
import type { FinishedImage } from '../inversion/finished-images.js';

export interface InversionTables {
  latents: Table;
  lpipsBySeed: Table;
}

export function inversionTables(results: readonly FinishedImage[], latentDim: number, models: Record<string, string>): InversionTables {
  const chosen = new Float32Array(results.length * latentDim);
  results.forEach((r, i) => chosen.set(r.latents.slice(r.best * latentDim, (r.best + 1) * latentDim), i * latentDim));
  const metadata = { models: JSON.stringify(models) };
  const latents = buildTable(
    {
      image_id: { kind: 'utf8', values: results.map((r) => r.imageId) },
      latent: { kind: 'float32-vector', width: latentDim, values: chosen },
      seed: { kind: 'int32', values: results.map((r) => r.seeds[r.best]!) },
      lpips: { kind: 'float64', values: results.map((r) => r.lpips[r.best]!) },
    },
    metadata,
  );
  const lpipsBySeed = buildTable(
    {
      image_id: { kind: 'utf8', values: results.flatMap((r) => r.seeds.map(() => r.imageId)) },
      seed: { kind: 'int32', values: results.flatMap((r) => r.seeds) },
      lpips: { kind: 'float64', values: results.flatMap((r) => r.lpips) },
    },
    metadata,
  );
  return { latents, lpipsBySeed };
}

/** Concatenate shard tables (in shard order) into the stage's final tables. */
export function mergeInversionTables(shards: readonly InversionTables[], source: (shard: number) => string): InversionTables {
  const ids: string[] = [];
  const seeds: number[] = [];
  const lpips: number[] = [];
  const latentParts: Float32Array[] = [];
  const bySeed = { ids: [] as string[], seeds: [] as number[], lpips: [] as number[] };
  let width = 0;
  shards.forEach((shard, s) => {
    const matrix = readFloat32Matrix(shard.latents, 'latent', source(s));
    width = matrix.width;
    latentParts.push(matrix.values);
    ids.push(...readStrings(shard.latents, 'image_id', source(s)));
    seeds.push(...readNumbers(shard.latents, 'seed', source(s)));
    lpips.push(...readNumbers(shard.latents, 'lpips', source(s)));
    bySeed.ids.push(...readStrings(shard.lpipsBySeed, 'image_id', source(s)));
    bySeed.seeds.push(...readNumbers(shard.lpipsBySeed, 'seed', source(s)));
    bySeed.lpips.push(...readNumbers(shard.lpipsBySeed, 'lpips', source(s)));
  });
  const values = new Float32Array(latentParts.reduce((n, p) => n + p.length, 0));
  latentParts.reduce((offset, part) => (values.set(part, offset), offset + part.length), 0);
  const metadata = Object.fromEntries(shards[0]?.latents.schema.metadata ?? []);
  return {
    latents: buildTable(
      {
        image_id: { kind: 'utf8', values: ids },
        latent: { kind: 'float32-vector', width, values },
        seed: { kind: 'int32', values: seeds },
        lpips: { kind: 'float64', values: lpips },
      },
      metadata,
    ),
    lpipsBySeed: buildTable(
      {
        image_id: { kind: 'utf8', values: bySeed.ids },
        seed: { kind: 'int32', values: bySeed.seeds },
        lpips: { kind: 'float64', values: bySeed.lpips },
      },
      metadata,
    ),
  };
}
