/** Reads the trial-level tables (`trials-<subject>`, optional `images`) of a GOD-like artifact. */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { ArtifactInput } from '../stage-definition.js';
import { TRIALS } from '../../tables/dataset.js';
import type { TableOf } from '../../tables/define-table.js';
import { INVERTED_LATENTS } from '../../tables/inversion.js';
import { PLANTED_IMAGES } from '../../tables/synthetic-worlds.js';
import type { SubjectTrialData } from '../../fmri/trial-average.js';

/** Latent per image id, and the file it came from. */
export interface ImageLatents {
  file: string;
  width: number;
  byImage: Map<string, Float32Array>;
}

export interface TrialInput {
  areas: string[];
  subjects: SubjectTrialData[];
  /** The planted latents when the artifact has an `images` table. */
  latents: ImageLatents | null;
}

/** What hyperalignment reads of a trial table: the run and repetition columns are not needed. */
const TRIAL_RESPONSES = TRIALS.select(['image_id', 'split', 'areas'], ['areas']);
/** The latents of a synthetic world's planted `images`, or of an `invert-latents` artifact (real photographs). */
const PLANTED_IMAGE_LATENTS = PLANTED_IMAGES.select(['image_id', 'latent']);
export const INVERTED_IMAGE_LATENTS = INVERTED_LATENTS.select(['image_id', 'latent']);

export function readTrialInput(input: ArtifactInput): TrialInput {
  const keys = TRIAL_RESPONSES.keysIn(input.tables).sort();
  if (keys.length < 2) {
    throw new DataValidationError(`${input.dir}: hyperalignment needs ≥ 2 "${TRIALS.pattern}" tables, found ${keys.length}`);
  }
  let areas: string[] | null = null;
  const subjects = keys.map((subject) => {
    const table = TRIAL_RESPONSES.named(subject).read(input);
    const mine = table.metadata.areas.map((a) => a.name);
    if (areas === null) areas = mine;
    else if (mine.join(',') !== areas.join(',')) {
      throw new DataValidationError(`${table.name}: areas [${mine.join(', ')}] differ from [${areas.join(', ')}]`);
    }
    const blocks = new Map([...table.columns.areas].map(([area, m]) => [area, { voxels: m.width, values: m.values }]));
    return { subject, imageIds: table.columns.image_id, split: table.columns.split, areas: blocks };
  });
  const planted = PLANTED_IMAGE_LATENTS.readIfPresent(input);
  return { areas: areas!, subjects, latents: planted && latentsByImage(planted) };
}

export function latentsByImage(table: TableOf<typeof PLANTED_IMAGE_LATENTS> | TableOf<typeof INVERTED_IMAGE_LATENTS>): ImageLatents {
  const { image_id: ids, latent: m } = table.columns;
  const byImage = new Map(ids.map((id, i) => [id, m.values.subarray(i * m.width, (i + 1) * m.width)]));
  return { file: table.file, width: m.width, byImage };
}
