/**
 * Evaluate decoded latents: joins the `predictions` table of the train stage with the dataset's test latents by
 * item id, scores every decoder per test item, and writes the per-item scores and the results table; with PAM's
 * attention weights present, also the mean attention per area (the paper's Fig. 5).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { readFloat32Matrix, readStrings } from '../../store/arrow-tables.js';
import { rowCosineSimilarities } from '../../evaluation/latent-similarity.js';
import { itemScoresToTable, resultsToTable, summarizeScores, type ItemScores } from '../../evaluation/results-table.js';
import type { StageRunner } from '../stage-definition.js';
import { scoreImages } from '../../images/evaluate-stage-images.js';
import { attentionByArea } from '../../evaluation/attention-by-area.js';
import type { EvaluateParams } from './spec.js';

export const runner: StageRunner<EvaluateParams> = {
  async run(ctx) {
    const test = ctx.inputs.dataset!.readTable('test');
    const testSource = `${ctx.inputs.dataset!.dir}/test.arrow`;
    const itemIds = readStrings(test, 'item_id', testSource);
    const truth = readFloat32Matrix(test, 'latent', testSource);
    const predictionsSource = `${ctx.inputs.predictions!.dir}/predictions.arrow`;
    const predictions = ctx.inputs.predictions!.readTable('predictions');
    const decoders = readStrings(predictions, 'decoder', predictionsSource);
    const predictedIds = readStrings(predictions, 'item_id', predictionsSource);
    const predicted = readFloat32Matrix(predictions, 'latent', predictionsSource);
    if (predicted.width !== truth.width) {
      throw new DataValidationError(`${predictionsSource}: latents have ${predicted.width} dims, the test set's have ${truth.width}`);
    }

    const rowOfItem = new Map(itemIds.map((id, i) => [id, i]));
    const decoderNames = [...new Set(decoders)];
    const scores: ItemScores[] = [];
    const alignedByDecoder: { name: string; latents: Float32Array }[] = [];
    for (const [d, decoder] of decoderNames.entries()) {
      ctx.progress({ fraction: d / decoderNames.length, message: `scoring ${decoder}` });
      // Reorder this decoder's predictions into test-table order so items pair up across decoders.
      const aligned = new Float32Array(truth.values.length);
      const seen = new Uint8Array(itemIds.length);
      decoders.forEach((name, row) => {
        if (name !== decoder) return;
        const target = rowOfItem.get(predictedIds[row]!);
        if (target === undefined) {
          throw new DataValidationError(`${predictionsSource}: row ${row} predicts unknown test item "${predictedIds[row]}"`);
        }
        aligned.set(predicted.values.subarray(row * truth.width, (row + 1) * truth.width), target * truth.width);
        seen[target] = 1;
      });
      const missing = itemIds.filter((_, i) => !seen[i]);
      if (missing.length > 0) {
        throw new DataValidationError(`${predictionsSource}: decoder "${decoder}" has no prediction for ${missing.length} test items (first: ${missing[0]})`);
      }
      scores.push({ decoder, metric: 'latent-cosine', values: rowCosineSimilarities(truth.values, aligned, truth.width) });
      alignedByDecoder.push({ name: decoder, latents: aligned });
    }
    const images = ctx.params.generator ? await scoreImages(ctx, itemIds, truth.values, alignedByDecoder) : null;
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
