/** Stage `synthesize-god`: a seeded GOD-like trial-level fMRI world (see src/synthetic/god.ts). */
import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';
import { FLOAT32_BYTES, unitsOf, type StageEstimate } from '../stage-plan.js';

/**
 * Default voxel counts keep the proportions of PAM's common-space sizes (docs/datasets.md §B.5: V1 2521, V2 2687,
 * V3 2058, V4 1283, LOC 2724, FFA 2100, PPA 900) at 1/50 of their size, so a default world fits CI.
 */
const DEFAULT_AREA_VOXELS = { V1: 50, V2: 54, V3: 41, V4: 26, LOC: 54, FFA: 42, PPA: 18 };

export const synthesizeGodParams = z
  .object({
    subjects: z.number().int().min(2).max(20).default(3),
    areaVoxels: z.record(z.string().min(1), z.number().int().min(2).max(1_000_000)).default(DEFAULT_AREA_VOXELS),
    voxelJitter: z.number().min(0).max(0.5).default(0.15),
    /** Fraction of voxels with no signal: one for every area, or per area (an area not named gets 0). */
    noSignalFraction: z.union([z.number().min(0).max(1), z.record(z.string().min(1), z.number().min(0).max(1))]).default(0.3),
    /** Per area, the planted signal's amplitude against trialNoise (an area not named gets 1). */
    signalAmplitude: z.record(z.string().min(1), z.number().min(0).max(100)).default({}),
    silentAreas: z.array(z.string()).default(['PPA']),
    trainImages: z.number().int().min(2).max(1_000_000).default(1200),
    trainRepetitions: z.number().int().min(1).max(1000).default(5),
    testImages: z.number().int().min(1).max(1_000_000).default(50),
    testRepetitions: z.number().int().min(1).max(1000).default(24),
    trialsPerRun: z.number().int().min(1).max(1_000_000).default(50),
    latentDim: z.number().int().min(1).max(4096).default(32),
    trialNoise: z.number().min(0).default(2),
  })
  .strict()
  .superRefine((params, ctx) => {
    for (const area of params.silentAreas) {
      if (!(area in params.areaVoxels)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['silentAreas'], message: `unknown area "${area}"` });
      }
    }
  });

export type SynthesizeGodParams = z.infer<typeof synthesizeGodParams>;

export const spec: StageSpec<typeof synthesizeGodParams> = {
  kind: 'synthesize-god',
  description: 'Seeded GOD-like fMRI: 3 subjects, 7 areas, trial-level responses with planted shared signal',
  codeVersion: '2',
  inputs: [],
  params: synthesizeGodParams,
  estimate: estimateSynthesizeGod,
  loadRunner: async () => (await import('./runner.js')).runner,
};

/**
 * Every subject's trials × voxels float32 responses (src/synthetic/god.ts) and, while each subject's table is
 * written, its Arrow bytes; subjects get up to `voxelJitter` more voxels than the base count, which bounds the areas.
 */
function estimateSynthesizeGod(p: SynthesizeGodParams): StageEstimate {
  const areas = Object.fromEntries(Object.entries(p.areaVoxels).map(([area, v]) => [area, Math.ceil(v * (1 + p.voxelJitter))]));
  const trials = p.trainImages * p.trainRepetitions + p.testImages * p.testRepetitions;
  const voxels = unitsOf(areas);
  const bytes = p.subjects * trials * voxels * FLOAT32_BYTES;
  return {
    memory: [
      {
        what: `2 copies × ${p.subjects} subjects × ${trials} trials × ${voxels} voxels × 4 B`,
        bytes: 2 * bytes,
        key: ['with', 'trainImages'],
      },
    ],
    output: {
      items: { train: p.trainImages, test: p.testImages },
      areas,
      latentDim: p.latentDim,
      subjects: p.subjects,
      bytes: bytes + (p.trainImages + p.testImages) * p.latentDim * FLOAT32_BYTES,
    },
  };
}
