import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

const params = z.object({}).strict();

export type LoadB2gParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'load-b2g',
  description: 'Read the B2G MUA (.mat v7.3) and w-latents (pickle) into train/test dataset tables with V1/V4/IT columns',
  codeVersion: '1',
  inputs: ['download'],
  dataCache: 'reads',
  params,
  // Silent while the whole MUA file (gigabytes of HDF5) is read and decoded in one call (src/data/loaders/).
  maxSilenceSeconds: 900,
  loadRunner: async () => (await import('./runner.js')).runner,
};
