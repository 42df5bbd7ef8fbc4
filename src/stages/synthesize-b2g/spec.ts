import type { z } from 'zod';
import { b2gConfigSchema } from '../../synthetic/b2g-config.js';
import type { StageSpec } from '../stage-spec.js';

/** The params are the simulator's config schema itself (zod only; defaults = B2G's sizes). */
const params = b2gConfigSchema;

export type SynthesizeB2GParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'synthesize-b2g',
  description: 'Simulate a B2G-like dataset (latents → V1/V4/IT responses) with known per-area informativeness',
  codeVersion: '1',
  inputs: [],
  params,
  loadRunner: async () => (await import('./runner.js')).runner,
};
