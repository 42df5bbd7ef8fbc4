import type { z } from 'zod';
import { b2gConfigSchema } from '../../synthetic/b2g-config.js';
import type { StageSpec } from '../stage-spec.js';
import { FLOAT32_BYTES, unitsOf, type StageEstimate } from '../stage-plan.js';

/** The params are the simulator's config schema itself (zod only; defaults = B2G's sizes). */
const params = b2gConfigSchema;

export type SynthesizeB2GParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'synthesize-b2g',
  description: 'Simulate a B2G-like dataset (latents → V1/V4/IT responses) with known per-area informativeness',
  codeVersion: '1',
  inputs: [],
  params,
  estimate: estimateSynthesizeB2G,
  loadRunner: async () => (await import('./runner.js')).runner,
};

/**
 * The simulated world's float32 arrays (src/synthetic/b2g.ts: latents and one response matrix per area and split)
 * and, while each table is written, its Arrow file bytes: two copies of every value.
 */
function estimateSynthesizeB2G(p: SynthesizeB2GParams): StageEstimate {
  const areas = Object.fromEntries(p.areas.map((a) => [a.name, a.units]));
  const values = unitsOf(areas) + p.latentDim;
  const split = (items: number) => items * values * FLOAT32_BYTES;
  const part = (name: 'train' | 'test', items: number) => ({
    what: `${name} table: 2 copies × ${items} items × ${values} values (units + latent) × 4 B`,
    bytes: 2 * split(items),
    key: ['with', `${name}Items`],
  });
  return {
    memory: [part('train', p.trainItems), part('test', p.testItems)],
    output: {
      items: { train: p.trainItems, test: p.testItems },
      areas,
      latentDim: p.latentDim,
      bytes: split(p.trainItems) + split(p.testItems),
    },
  };
}
