/**
 * Adds images to a dataset that has latents: `stimuli` = generator(latent) for every item. Reads either the decoding
 * layout (`train` and `test` tables with `item_id`, `latent`) or a GOD-like world's `images` table (`image_id`,
 * `split`, `latent`: the planted latents, which later stages hide from decoders by inverting the images instead).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { initTensorBackend, type TensorBackendRequest } from '../../tensor/tf-backend.js';
import { loadGenerator } from '../../images/plugins/model-loader.js';
import { renderStimuli } from '../../images/generators/render.js';
import { STIMULI_TABLE, stimuliToTable } from '../../tables/stimuli.js';
import { readFloat32Matrix, readStrings } from '../../tables/arrow-tables.js';
import type { ArtifactInput, StageRunner } from '../stage-definition.js';
import type { RenderStimuliParams } from './spec.js';

interface PlantedLatents {
  ids: string[];
  splits: string[];
  latents: Float32Array;
  width: number;
}

function readPlantedLatents(dataset: ArtifactInput): PlantedLatents {
  if (dataset.tables.includes('images')) {
    const table = dataset.readTable('images');
    const source = `${dataset.dir}/images.arrow`;
    const matrix = readFloat32Matrix(table, 'latent', source);
    return {
      ids: readStrings(table, 'image_id', source),
      splits: readStrings(table, 'split', source),
      latents: matrix.values,
      width: matrix.width,
    };
  }
  const parts = (['train', 'test'] as const).map((split) => {
    if (!dataset.tables.includes(split)) {
      throw new DataValidationError(`${dataset.dir}: no "images" table and no "${split}" table (has: ${dataset.tables.join(', ')})`);
    }
    const table = dataset.readTable(split);
    const source = `${dataset.dir}/${split}.arrow`;
    return { split, ids: readStrings(table, 'item_id', source), matrix: readFloat32Matrix(table, 'latent', source) };
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
      ctx.output.writeTable(
        STIMULI_TABLE,
        stimuliToTable({ ids: planted.ids, splits: planted.splits, pixels, height, width, source: label }),
      );
      return { summary: { images: planted.ids.length, height, width, generator: label, backend: backend.backend } };
    } finally {
      generator.dispose();
    }
  },
};
