/** Stage `hyperalign`: per-area PyMVPA hyperalignment of trial-level fMRI into one decoding dataset. */
import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';
import {
  FLOAT32_BYTES,
  FLOAT64_BYTES,
  unitsOf,
  type MemoryPart,
  type PlanIssue,
  type PlannedInput,
  type StageEstimate,
} from '../stage-plan.js';

export const hyperalignParams = z
  .object({
    /** Areas to align (default: every area of the input, in its order). */
    areas: z.array(z.string().min(1)).min(1).optional(),
    /** ddof of the final train-statistics z-score; PAM's `get_god` uses 1 (docs/datasets.md §B.5). */
    zscoreDdof: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Write the p_subject × p_common projections (large at GOD scale: ~30 MB per subject and area). */
    writeMappers: z.boolean().default(true),
  })
  .strict();

export type HyperalignParams = z.infer<typeof hyperalignParams>;

export const spec: StageSpec<typeof hyperalignParams> = {
  kind: 'hyperalign',
  description: 'Hyperalign subjects per area (PyMVPA 3-level Procrustes), average repetitions and subjects, z-score',
  codeVersion: '2',
  inputs: ['trials'],
  /** `latents`: an invert-latents artifact, for real photographs whose latents are not known. */
  optionalInputs: ['latents'],
  params: hyperalignParams,
  checkPlan: checkHyperalignPlan,
  estimate: estimateHyperalign,
  // Before its first Procrustes fit reports, an area's pool thread z-scores and decomposes every subject's data,
  // and one fit's SVD at GOD scale (~2,900 voxels, 1,200 images) takes minutes on a busy 2-core machine (README
  // benchmarks: 911 s for hyperalignment + voxel selection).
  maxSilenceSeconds: 900,
  loadRunner: async () => (await import('./runner.js')).runner,
};

function checkHyperalignPlan(p: HyperalignParams, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[] {
  const trials = inputs['trials'];
  const known = trials?.areas && Object.keys(trials.areas);
  if (!trials || !known || !p.areas) return [];
  return p.areas.flatMap((area, i) =>
    known.includes(area)
      ? []
      : [{ key: ['with', 'areas', i], message: `unknown area "${area}"; input trials (stage ${trials.from}) has ${known.join(', ')}` }],
  );
}

/**
 * The trial tables (file bytes + columns); every area's repetition-averaged float64 matrices, built before alignment
 * starts; and per area being aligned, PyMVPA's working copies (datasets, common space, level-1/2 projections, about
 * six of them) plus each subject's p × p Procrustes mapper and SVD scratch (src/fmri/hyperalignment.ts). Two areas
 * are counted in flight: a 2-core worker's pool (src/threads/thread-pool.ts `defaultThreads`).
 */
function estimateHyperalign(p: HyperalignParams, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate {
  const trials = inputs['trials'];
  const latentDim = inputs['latents']?.latentDim ?? trials?.latentDim;
  const known = trials?.areas;
  const areas = known && Object.fromEntries((p.areas ?? Object.keys(known)).map((a) => [a, known[a] ?? 0]));
  const items = trials?.items;
  const images = items?.train !== undefined && items.test !== undefined ? items.train + items.test : undefined;
  const memory: MemoryPart[] = [];
  if (trials?.bytes !== undefined)
    memory.push({ what: `input trials (stage ${trials.from}) tables, read`, bytes: 2 * trials.bytes, key: ['inputs', 'trials'] });
  const subjects = trials?.subjects;
  if (areas && images !== undefined && subjects !== undefined) {
    const averaged = subjects * images * unitsOf(areas) * FLOAT64_BYTES;
    memory.push({
      what: `averaged trials: ${subjects} subjects × ${images} images × ${unitsOf(areas)} voxels × 8 B`,
      bytes: averaged,
      key: ['inputs', 'trials'],
    });
    const largest = Object.values(areas)
      .sort((a, b) => b - a)
      .slice(0, 2);
    const work = largest.reduce((sum, v) => sum + subjects * (6 * images * v + 3 * v * v) * FLOAT64_BYTES, 0);
    memory.push({
      what: `aligning ${largest.length} area(s) at once (working copies + p × p mappers)`,
      bytes: work,
      key: ['with', 'areas'],
    });
  }
  const bytes = areas && images !== undefined ? images * (unitsOf(areas) + (latentDim ?? 0)) * FLOAT32_BYTES : undefined;
  return {
    memory,
    output: {
      ...(items ? { items } : {}),
      ...(areas ? { areas } : {}),
      ...(latentDim !== undefined ? { latentDim } : {}),
      ...(bytes !== undefined ? { bytes } : {}),
    },
  };
}
