/** Stack one subject's split files (train, test) into its `trials-<subject>` table (`src/tables/dataset.ts`). */
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { TRIALS } from '../../tables/dataset.js';
import { concatTyped } from '../../util/typed-arrays.js';
import type { GodTrials } from './god-trials.js';

export interface GodSplitFile {
  split: 'train' | 'test';
  source: string;
  trials: GodTrials;
}

export function godSubjectTable(subject: string, files: readonly GodSplitFile[]): Table {
  if (files.length === 0) throw new DataValidationError(`subject ${subject}: the download holds no BData file of this subject`);
  const first = files[0]!;
  for (const file of files) {
    file.trials.areas.forEach((area, i) => {
      const expected = first.trials.areas[i]!.info;
      if (area.info.name !== expected.name || area.info.units !== expected.units) {
        throw new DataValidationError(
          `${file.source}: ROI_${area.info.name} has ${area.info.units} voxels but ${first.source} has ${expected.units}; ` +
            `files of subject ${subject} must share one voxel set`,
        );
      }
    });
  }
  const concat = (pick: (t: GodTrials) => Float32Array | Int32Array, ctor: typeof Float32Array | typeof Int32Array) =>
    concatTyped<Float32Array | Int32Array>(
      ctor,
      files.map((f) => pick(f.trials)),
    );
  const areas = first.trials.areas.map(
    (area, i) =>
      [area.info.name, { width: area.info.units, values: concat((t) => t.areas[i]!.values, Float32Array) as Float32Array }] as const,
  );
  return TRIALS.named(subject).build(
    {
      image_id: files.flatMap((f) => f.trials.imageIds),
      split: files.flatMap((f) => f.trials.imageIds.map(() => f.split)),
      repetition: concat((t) => t.repetitions, Int32Array) as Int32Array,
      run: concat((t) => t.runs, Int32Array) as Int32Array,
      areas: new Map(areas),
    },
    { areas: first.trials.areas.map((a) => a.info), subject },
  );
}
