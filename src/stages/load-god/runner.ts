/**
 * load-god: downloaded BData files → `trials-<subject>` tables (`src/tables/dataset.ts`), train rows then
 * test rows. Repetition averaging belongs to the preprocessing stage, so every trial is kept.
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { readBData } from '../../data/loaders/bdata.js';
import { downloadedFiles } from '../../data/loaders/downloaded-files.js';
import { godSubjectTable, type GodSplitFile } from '../../data/loaders/god-subject-table.js';
import { bdataToTrials } from '../../data/loaders/god-trials.js';
import { TRIALS } from '../../tables/dataset.js';
import type { StageRunner } from '../stage-definition.js';
import type { LoadGodParams } from './spec.js';

export const runner: StageRunner<LoadGodParams> = {
  async run(ctx) {
    const input = ctx.inputs.download!;
    const files = downloadedFiles(input, ctx.dataCacheDir).filter((f) => f.loader === 'god-bdata');
    if (files.length === 0) throw new DataValidationError(`${input.dir}/files.arrow: no files with loader "god-bdata"`);
    const subjects = [...new Set(files.map((f) => f.subject))].sort();
    const summary: Record<string, number> = { subjects: subjects.length };
    for (const [i, subject] of subjects.entries()) {
      ctx.progress({ fraction: i / subjects.length, message: `reading ${subject}` });
      const splitFiles: GodSplitFile[] = [];
      for (const split of ['train', 'test'] as const) {
        for (const file of files.filter((f) => f.subject === subject && f.split === split)) {
          splitFiles.push({ split, source: file.cachePath, trials: bdataToTrials(await readBData(file.cachePath)) });
        }
      }
      const table = godSubjectTable(subject, splitFiles);
      ctx.output.writeTable(TRIALS.named(subject).name, table);
      summary[`${subject}.trials`] = table.numRows;
    }
    ctx.progress({ fraction: 1, message: `${subjects.length} subjects written` });
    return { summary };
  },
};
