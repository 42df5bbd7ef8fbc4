/**
 * Every stage kind the pipeline knows, by the name used in `uses:`. Only specs (zod schemas and metadata) are
 * imported here; runners load lazily in the compute thread.
 */
import type { StageSpec } from './stage-spec.js';
import { spec as download } from './download/spec.js';
import { spec as evaluate } from './evaluate/spec.js';
import { spec as hyperalign } from './hyperalign/spec.js';
import { spec as invertLatents } from './invert-latents/spec.js';
import { spec as loadB2g } from './load-b2g/spec.js';
import { spec as loadGod } from './load-god/spec.js';
import { spec as loadStimuli } from './load-stimuli/spec.js';
import { spec as selectVoxels } from './select-voxels/spec.js';
import { spec as synthesizeGod } from './synthesize-god/spec.js';
import { spec as renderStimuli } from './render-stimuli/spec.js';
import { spec as synthesizeB2g } from './synthesize-b2g/spec.js';
import { spec as train } from './train/spec.js';

export type StageCatalog = ReadonlyMap<string, StageSpec>;

const specs: StageSpec[] = [
  download,
  loadB2g,
  loadGod,
  loadStimuli,
  synthesizeB2g,
  synthesizeGod,
  hyperalign,
  selectVoxels,
  renderStimuli,
  invertLatents,
  train,
  evaluate,
];

export const stageCatalog: StageCatalog = new Map(specs.map((spec) => [spec.kind, spec]));
