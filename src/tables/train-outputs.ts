/**
 * The train stage's Arrow outputs (documented for Python readers in docs/train-artifacts.md). Attention, values and
 * keys are long tables with one row per (test item, area), item-major in test-table order, areas in head order
 * (metadata `areas`), so pandas can pivot them without knowing the areas in advance.
 */
import { z } from 'zod';
import { float32, float32Vector, float64, int32, json, utf8, type VectorRows } from './column-types.js';
import { defineTable, type TableSink } from './define-table.js';
import type { DecoderJobResult } from '../training/decoder-job.js';
import type { Predictions } from '../training/predict.js';

/** `predictions`: rows of one decoder in test-table order, decoders in the given order. */
export const PREDICTIONS = defineTable({
  name: 'predictions',
  columns: { decoder: utf8(), item_id: utf8(), latent: float32Vector() },
});

/** `loss-curve`: `epoch` 1-based, `loss` the epoch's mean training MSE, `validation_loss` NaN without a split. */
export const LOSS_CURVE = defineTable({
  name: 'loss-curve',
  columns: { decoder: utf8(), epoch: int32(), loss: float64(), validation_loss: float64() },
});

const perArea = { areas: json(z.array(z.string())) };

/** `attention` (PAM): for each item and latent dim, the weights sum to 1 over the areas. */
export const ATTENTION = defineTable({
  name: 'attention',
  columns: { item_id: utf8(), area: utf8(), weights: float32Vector() },
  metadata: perArea,
});

/** `values` (PAM): the prediction is z = Σ_areas weights ⊙ value. */
export const VALUES = defineTable({
  name: 'values',
  columns: { item_id: utf8(), area: utf8(), value: float32Vector() },
  metadata: perArea,
});

/** `keys` (PAM), `width` c wide. */
export const KEYS = defineTable({
  name: 'keys',
  columns: { item_id: utf8(), area: utf8(), key: float32Vector() },
  metadata: perArea,
});

/** `queries` (PAM): one row per latent dim j; the attention score is (key · query_j + bias_j)/√c. */
export const QUERIES = defineTable({
  name: 'queries',
  columns: { latent_dim: int32(), query: float32Vector(), bias: float32() },
});

export function writePredictions(
  sink: TableSink,
  results: readonly DecoderJobResult[],
  itemIds: readonly string[],
  latentDim: number,
): void {
  const latent = new Float32Array(results.length * itemIds.length * latentDim);
  results.forEach((r, i) => {
    latent.set(r.predictions.latent, i * itemIds.length * latentDim);
  });
  PREDICTIONS.write(sink, {
    decoder: results.flatMap((r) => itemIds.map(() => r.name)),
    item_id: results.flatMap(() => itemIds),
    latent: { width: latentDim, values: latent },
  });
}

export function writeLossCurve(sink: TableSink, results: readonly DecoderJobResult[]): void {
  const rows = results.flatMap((r) =>
    r.lossCurve.map((loss, e) => ({ decoder: r.name, epoch: e + 1, loss, validation: r.validationLossCurve[e] ?? Number.NaN })),
  );
  LOSS_CURVE.write(sink, {
    decoder: rows.map((r) => r.decoder),
    epoch: rows.map((r) => r.epoch),
    loss: rows.map((r) => r.loss),
    validation_loss: rows.map((r) => r.validation),
  });
}

/** PAM's attention weights, values, keys and queries on the test items. */
export function writeAttentionTables(
  sink: TableSink,
  { attention, values, keys }: NonNullable<Predictions['attention']>,
  queries: NonNullable<DecoderJobResult['queries']>,
  areaNames: readonly string[],
  itemIds: readonly string[],
): void {
  const latentDim = queries.bias.length;
  const item_id = itemIds.flatMap((id) => areaNames.map(() => id));
  const area = itemIds.flatMap(() => areaNames);
  const metadata = { areas: [...areaNames] };
  ATTENTION.write(sink, { item_id, area, weights: itemMajor(attention, itemIds.length, latentDim) }, metadata);
  VALUES.write(sink, { item_id, area, value: itemMajor(values, itemIds.length, latentDim) }, metadata);
  KEYS.write(sink, { item_id, area, key: itemMajor(keys, itemIds.length, queries.width) }, metadata);
  QUERIES.write(sink, queryColumns(queries));
}

/** One [items, width] matrix per area → rows item-major, areas in order within an item. */
function itemMajor(perAreaRows: readonly Float32Array[], items: number, width: number): VectorRows {
  const values = new Float32Array(items * perAreaRows.length * width);
  for (let item = 0; item < items; item++) {
    perAreaRows.forEach((matrix, area) => {
      values.set(matrix.subarray(item * width, (item + 1) * width), (item * perAreaRows.length + area) * width);
    });
  }
  return { width, values };
}

function queryColumns({ weight, bias, width }: NonNullable<DecoderJobResult['queries']>) {
  const latentDim = bias.length;
  // The query Linear stores its weight [c, d]; query j is column j.
  const rows = new Float32Array(latentDim * width);
  for (let j = 0; j < latentDim; j++) for (let i = 0; i < width; i++) rows[j * width + i] = weight[i * latentDim + j]!;
  return { latent_dim: Int32Array.from({ length: latentDim }, (_, j) => j), query: { width, values: rows }, bias };
}
