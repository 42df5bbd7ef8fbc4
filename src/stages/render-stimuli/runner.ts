/**
 * Adds images to a dataset that has latents: `stimuli` = generator(latent) for every item. Reads either the decoding
 * layout (`train` and `test` tables with `item_id`, `latent`) or a GOD-like world's `images` table (`image_id`,
 * `split`, `latent`: the planted latents, which later stages hide from decoders by inverting the images instead).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { initTensorBackend, type TensorBackendRequest } from '../../tensor/tf-backend.js';
import { loadGenerator } from '../../images/plugins/model-loader.js';
import { renderStimuli } from '../../images/generators/render.js';
import { writeStimuli } from '../../tables/stimuli.js';
import { DATASET_SPLIT, SPLITS, type Split } from '../../tables/dataset.js';
import { PLANTED_IMAGES } from '../../tables/synthetic-worlds.js';
import type { ArtifactInput, StageRunner } from '../stage-definition.js';
import type { RenderStimuliParams } from './spec.js';

interface PlantedLatents {
  ids: string[];
  splits: Split[];
  latents: Float32Array;
  width: number;
}

/** What rendering reads of a decoding dataset. */
const SPLIT_LATENTS = DATASET_SPLIT.select(['item_id', 'latent']);

function readPlantedLatents(dataset: ArtifactInput): PlantedLatents {
  const images = PLANTED_IMAGES.readIfPresent(dataset);
  if (images) {
    const { image_id, split, latent } = images.columns;
    return { ids: image_id, splits: split, latents: latent.values, width: latent.width };
  }
  const parts = SPLITS.map((split) => {
    const table = SPLIT_LATENTS.named(split).readIfPresent(dataset);
    if (!table) {
      throw new DataValidationError(
        `${dataset.dir}: no "${PLANTED_IMAGES.name}" table and no "${split}" table (has: ${dataset.tables.join(', ')})`,
      );
    }
    return { split, ids: table.columns.item_id, matrix: table.require('latent', 'rendering needs the latents') };
  });
  const width = parts[0]!.matrix.width;
  if (parts[1]!.matrix.width !== width) {
    throw new DataValidationError(`${dataset.dir}: train latents have ${width} dims, test latents ${parts[1]!.matrix.width}`);
  }
  const latents = new Float32Array(parts[0]!.matrix.values.length + parts[1]!.matrix.values.length);
  latents.set(parts[0]!.matrix.values);
  latents.set(parts[1]!.matrix.values, parts[0]!.matrix.values.length);
  return {
    ids: parts.flatMap((p) => p.ids),
    splits: parts.flatMap((p) => p.ids.map(() => p.split)),
    latents,
    width,
  };
}

export const runner: StageRunner<RenderStimuliParams> = {
  async run(ctx) {
    const backend = await initTensorBackend(ctx.backend as TensorBackendRequest, (line) => ctx.log(line));
    const planted = readPlantedLatents(ctx.inputs.dataset!);
    const generator = await loadGenerator(ctx.params.generator);
    try {
      if (planted.width !== generator.latentDim) {
        throw new DataValidationError(
          `${ctx.inputs.dataset!.dir}: latents have ${planted.width} dims, but ${generator.label} takes ${generator.latentDim}`,
        );
      }
      const pixels = await renderStimuli(planted.latents, generator, ctx.params.batchSize, (done, total) =>
        ctx.progress({ fraction: done / total, message: `rendered ${done}/${total} stimuli` }),
      );
      const { height, width, label } = generator;
      writeStimuli(ctx.output, { ids: planted.ids, splits: planted.splits, pixels, height, width, source: label });
      return { summary: { images: planted.ids.length, height, width, generator: label, backend: backend.backend } };
    } finally {
      generator.dispose();
    }
  },
};
