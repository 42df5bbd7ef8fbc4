/** Reads the trial-level tables (`trials-<subject>`, optional `images`) of a GOD-like artifact. */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { ArtifactInput } from '../stage-definition.js';
import { areaColumn, type AreaInfo } from '../../tables/dataset.js';
import { readFloat32Matrix, readJsonMetadata, readStrings } from '../../tables/arrow-tables.js';
import type { SubjectTrialData } from '../../fmri/trial-average.js';

export interface TrialInput {
  areas: string[];
  subjects: SubjectTrialData[];
  /** Latent per image id when the artifact has an `images` table. */
  latents: { width: number; byImage: Map<string, Float32Array> } | null;
}

export function readTrialInput(input: ArtifactInput): TrialInput {
  const names = input.tables.filter((t) => t.startsWith('trials-')).sort();
  if (names.length < 2) {
    throw new DataValidationError(`${input.dir}: hyperalignment needs ≥ 2 "trials-<subject>" tables, found ${names.length}`);
  }
  let areas: string[] | null = null;
  const subjects = names.map((name) => {
    const table = input.readTable(name);
    const info = readJsonMetadata<AreaInfo[]>(table, 'areas', name);
    const mine = info.map((a) => a.name);
    if (areas === null) areas = mine;
    else if (mine.join(',') !== areas.join(',')) {
      throw new DataValidationError(`${name}: areas [${mine.join(', ')}] differ from [${areas.join(', ')}]`);
    }
    const blocks = new Map<string, { voxels: number; values: Float32Array }>();
    for (const area of mine) {
      const m = readFloat32Matrix(table, areaColumn(area), name);
      blocks.set(area, { voxels: m.width, values: m.values });
    }
    return {
      subject: name.slice('trials-'.length),
      imageIds: readStrings(table, 'image_id', name),
      split: readStrings(table, 'split', name),
      areas: blocks,
    };
  });
  const latents = input.tables.includes('images') ? readLatentTable(input, 'images') : null;
  return { areas: areas!, subjects, latents };
}

/**
 * Latent per image id from a table with `image_id` and `latent` columns: the synthetic world's `images` table,
 * or the `latents` table of an `invert-latents` artifact (real photographs, whose latents must be inverted).
 */
export function readLatentTable(input: ArtifactInput, name: string): NonNullable<TrialInput['latents']> {
  const source = `${input.dir}/${name}.arrow`;
  const table = input.readTable(name);
  const ids = readStrings(table, 'image_id', source);
  const m = readFloat32Matrix(table, 'latent', source);
  return { width: m.width, byImage: new Map(ids.map((id, i) => [id, m.values.subarray(i * m.width, (i + 1) * m.width)])) };
}
