/**
 * Evaluate decoded latents: joins the `predictions` table of the train stage with the dataset's test latents by
 * item id, scores every decoder per test item, and writes the per-item scores and the results table; with PAM's
 * attention weights present, also the mean attention per area (the paper's Fig. 5).
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { DATASET_SPLIT } from '../../tables/dataset.js';
import { ATTENTION, PREDICTIONS } from '../../tables/train-outputs.js';
import { rowCosineSimilarities } from '../../evaluation/latent-similarity.js';
import { alignPredictions } from '../../evaluation/align-predictions.js';
import { summarizeScores, writeItemScores, writeResults, type ItemScores } from '../../evaluation/results-table.js';
import type { StageRunner } from '../stage-definition.js';
import { scoreImages } from './image-evaluation.js';
import { attentionByArea, writeAttentionByArea } from '../../evaluation/attention-by-area.js';
import type { EvaluateParams } from './spec.js';

/** What evaluation reads of the test set: its items and, when known, their latents. */
const TEST_LATENTS = DATASET_SPLIT.select(['item_id', 'latent']).named('test');
/** What the mean attention per area reads of PAM's `attention` table. */
const ATTENTION_WEIGHTS = ATTENTION.select(['area', 'weights']);

export const runner: StageRunner<EvaluateParams> = {
  async run(ctx) {
    const test = TEST_LATENTS.read(ctx.inputs.dataset!);
    const itemIds = test.columns.item_id;
    // Real photographs (GOD) have no true latents: then only the image metrics can score the decoders.
    const truth = test.columns.latent;
    const predictions = PREDICTIONS.read(ctx.inputs.predictions!);
    const predicted = predictions.columns.latent;
    if (truth && predicted.width !== truth.width) {
      throw new DataValidationError(`${predictions.file}: latents have ${predicted.width} dims, the test set's have ${truth.width}`);
    }
    if (!truth && !ctx.params.generator) {
      throw new DataValidationError(
        `${test.file}: the test set has no "latent" column and no generator is configured, so there is nothing to score (add evaluate.with.generator)`,
      );
    }
    // The standard error (ddof 1) and the paired t-tests need two items; the plan checks this for known sizes only.
    if (itemIds.length < 2) {
      throw new DataValidationError(
        `${test.file}: ${itemIds.length} test item(s); scoring needs at least 2 (standard error, paired t-tests)`,
      );
    }
    ctx.progress({ fraction: 0, message: 'aligning predictions' });
    const aligned = alignPredictions(itemIds, predictions.columns.decoder, predictions.columns.item_id, predicted, predictions.file);
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
    writeResults(ctx.output, rows, ctx.params.referenceDecoder);
    writeItemScores(ctx.output, scores, itemIds);
    const summary: Record<string, number | string> = { testItems: itemIds.length, decoders: decoderNames.join(',') };
    for (const row of rows) summary[`${row.decoder}.${row.metric}`] = Number(row.mean.toFixed(4));
    const attention = ATTENTION_WEIGHTS.readIfPresent(ctx.inputs.predictions!);
    if (attention) {
      const byArea = attentionByArea(attention.columns);
      writeAttentionByArea(ctx.output, byArea);
      for (const r of byArea) summary[`attention.${r.area}`] = Number(r.meanAttention.toFixed(4));
    }
    ctx.progress({ fraction: 1, message: 'scored' });
    if (images) Object.assign(summary, images.models);
    return { summary };
  },
};
