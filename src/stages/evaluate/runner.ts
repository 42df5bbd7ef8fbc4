/**
 * Evaluate decoded latents: joins the `predictions` table of the train stage with the dataset's test latents by
 * item id, scores every decoder per test item, and writes the per-item scores and the results table; with PAM's
 * attention weights present, also the mean attention per area (the paper's Fig. 5).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { readFloat32Matrix, readStrings } from '../../tables/arrow-tables.js';
import { rowCosineSimilarities } from '../../evaluation/latent-similarity.js';
import { alignPredictions } from '../../evaluation/align-predictions.js';
import { itemScoresToTable, resultsToTable, summarizeScores, type ItemScores } from '../../evaluation/results-table.js';
import type { StageRunner } from '../stage-definition.js';
import { scoreImages } from './image-evaluation.js';
import { attentionByArea } from '../../evaluation/attention-by-area.js';
import type { EvaluateParams } from './spec.js';

export const runner: StageRunner<EvaluateParams> = {
  async run(ctx) {
    const test = ctx.inputs.dataset!.readTable('test');
    const testSource = `${ctx.inputs.dataset!.dir}/test.arrow`;
    const itemIds = readStrings(test, 'item_id', testSource);
    // Real photographs (GOD) have no true latents: then only the image metrics can score the decoders.
    const truth = test.schema.fields.some((f) => f.name === 'latent') ? readFloat32Matrix(test, 'latent', testSource) : null;
    const predictionsSource = `${ctx.inputs.predictions!.dir}/predictions.arrow`;
    const predictions = ctx.inputs.predictions!.readTable('predictions');
    const predicted = readFloat32Matrix(predictions, 'latent', predictionsSource);
    if (truth && predicted.width !== truth.width) {
      throw new DataValidationError(`${predictionsSource}: latents have ${predicted.width} dims, the test set's have ${truth.width}`);
    }
    if (!truth && !ctx.params.generator) {
      throw new DataValidationError(
        `${testSource}: the test set has no "latent" column and no generator is configured, so there is nothing to score (add evaluate.with.generator)`,
      );
    }
    ctx.progress({ fraction: 0, message: 'aligning predictions' });
    const aligned = alignPredictions(
      itemIds,
      readStrings(predictions, 'decoder', predictionsSource),
      readStrings(predictions, 'item_id', predictionsSource),
      predicted,
      predictionsSource,
    );
    const decoderNames = aligned.map((d) => d.name);
    const scores: ItemScores[] = truth
      ? aligned.map((d) => ({
          decoder: d.name,
          metric: 'latent-cosine',
          values: rowCosineSimilarities(truth.values, d.latents, truth.width),
        }))
      : [];
    ctx.progress({ fraction: 0.2, message: ctx.params.generator ? 'image metrics' : 'summarizing' });
    const images = ctx.params.generator ? await scoreImages(ctx, itemIds, truth?.values ?? null, aligned) : null;
    if (images) scores.push(...images.scores);

    const rows = summarizeScores(scores, ctx.params.referenceDecoder);
    ctx.output.writeTable('results', resultsToTable(rows, ctx.params.referenceDecoder));
    ctx.output.writeTable('item-scores', itemScoresToTable(scores, itemIds));
    const summary: Record<string, number | string> = { testItems: itemIds.length, decoders: decoderNames.join(',') };
    for (const row of rows) summary[`${row.decoder}.${row.metric}`] = Number(row.mean.toFixed(4));
    if (ctx.inputs.predictions!.tables.includes('attention')) {
      const byArea = attentionByArea(ctx.inputs.predictions!.readTable('attention'), `${ctx.inputs.predictions!.dir}/attention.arrow`);
      ctx.output.writeTable('attention-by-area', byArea);
      [...byArea].forEach((r) => (summary[`attention.${String(r['area'])}`] = Number(Number(r['mean_attention']).toFixed(4))));
    }
    ctx.progress({ fraction: 1, message: 'scored' });
    if (images) Object.assign(summary, images.models);
    return { summary };
  },
};
