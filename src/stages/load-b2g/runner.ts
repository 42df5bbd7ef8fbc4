/** load-b2g: downloaded B2G files → dataset tables `train` and `test` (`src/tables/dataset.ts`). */
import { readB2gLatents } from '../../data/loaders/b2g-latents.js';
import { b2gSplitTable } from '../../data/loaders/b2g-dataset.js';
import { readB2gMua } from '../../data/loaders/b2g-mua.js';
import { downloadedFiles, onlyFileFor } from '../../data/loaders/downloaded-files.js';
import { DATASET_SPLIT, SPLITS } from '../../tables/dataset.js';
import type { StageRunner } from '../stage-definition.js';
import type { LoadB2gParams } from './spec.js';

export const runner: StageRunner<LoadB2gParams> = {
  async run(ctx) {
    const input = ctx.inputs.download!;
    const files = downloadedFiles(input, ctx.dataCacheDir);
    const muaFile = onlyFileFor(files, 'b2g-mua', input.dir);
    const latentFile = onlyFileFor(files, 'b2g-latents', input.dir);
    ctx.progress({ fraction: 0.1, message: `reading ${muaFile.name}` });
    const mua = await readB2gMua(muaFile.cachePath);
    ctx.progress({ fraction: 0.6, message: `reading ${latentFile.name}` });
    const latents = readB2gLatents(latentFile.cachePath);
    const sources = `${muaFile.cachePath} + ${latentFile.cachePath}`;
    for (const split of SPLITS) {
      ctx.output.writeTable(DATASET_SPLIT.named(split).name, b2gSplitTable(split, mua[split], latents[split], sources));
    }
    ctx.progress({ fraction: 1, message: 'B2G tables written' });
    return { summary: { trainItems: latents.train.rows, testItems: latents.test.rows, latentDims: latents.train.width } };
  },
};
