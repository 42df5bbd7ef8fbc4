import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

const params = z.object({}).strict();

export type LoadGodParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'load-god',
  description: 'Read the GOD/Shen-19 BData files into one trial-level table per subject (ROI voxels, image ids, runs)',
  codeVersion: '1',
  inputs: ['download'],
  dataCache: 'reads',
  params,
  // Silent while each BData file (HDF5, up to gigabytes per subject) is read and decoded in one call (src/data/loaders/).
  maxSilenceSeconds: 900,
  loadRunner: async () => (await import('./runner.js')).runner,
};
