/**
 * The train stage's Arrow outputs (schemas documented in docs/train-artifacts.md). Attention, values and keys
 * are long tables with one row per (test item, area), item-major in test-table order, areas in head order.
 */
import type { Table } from 'apache-arrow';
import { buildTable } from './arrow-tables.js';
import type { DecoderJobResult } from '../training/decoder-job.js';

/** `decoder`, `item_id`, `latent` — rows of one decoder in test-table order, decoders in the given order. */
export function predictionsTable(results: readonly DecoderJobResult[], itemIds: readonly string[], latentDim: number): Table {
  const latent = new Float32Array(results.length * itemIds.length * latentDim);
  results.forEach((r, i) => latent.set(r.predictions.latent, i * itemIds.length * latentDim));
  return buildTable({
    decoder: { kind: 'utf8', values: results.flatMap((r) => itemIds.map(() => r.name)) },
    item_id: { kind: 'utf8', values: results.flatMap(() => itemIds) },
    latent: { kind: 'float32-vector', width: latentDim, values: latent },
  });
}

/** `decoder`, `epoch` (1-based), `loss` (mean training MSE of the epoch), `validation_loss` (NaN without a split). */
export function lossCurveTable(results: readonly DecoderJobResult[]): Table {
  const rows = results.flatMap((r) =>
    r.lossCurve.map((loss, e) => ({ decoder: r.name, epoch: e + 1, loss, validation: r.validationLossCurve[e] ?? Number.NaN })),
  );
  return buildTable({
    decoder: { kind: 'utf8', values: rows.map((r) => r.decoder) },
    epoch: { kind: 'int32', values: rows.map((r) => r.epoch) },
    loss: { kind: 'float64', values: rows.map((r) => r.loss) },
    validation_loss: { kind: 'float64', values: rows.map((r) => r.validation) },
  });
}

/** Long (item × area) table of one per-area matrix list, each [items, width]. */
export function perAreaTable(
  column: string,
  perArea: readonly Float32Array[],
  areaNames: readonly string[],
  itemIds: readonly string[],
  width: number,
): Table {
  const values = new Float32Array(itemIds.length * areaNames.length * width);
  for (let item = 0; item < itemIds.length; item++) {
    perArea.forEach((matrix, area) =>
      values.set(matrix.subarray(item * width, (item + 1) * width), (item * areaNames.length + area) * width),
    );
  }
  return buildTable(
    {
      item_id: { kind: 'utf8', values: itemIds.flatMap((id) => areaNames.map(() => id)) },
      area: { kind: 'utf8', values: itemIds.flatMap(() => areaNames) },
      [column]: { kind: 'float32-vector', width, values },
    },
    { areas: JSON.stringify(areaNames) },
  );
}

/** `latent_dim`, `query` (the c-dim query of that latent dimension), `bias`. */
export function queriesTable(queries: NonNullable<DecoderJobResult['queries']>): Table {
  const { weight, bias, width } = queries;
  const latentDim = bias.length;
  // The query Linear stores its weight [c, d]; query j is column j.
  const rows = new Float32Array(latentDim * width);
  for (let j = 0; j < latentDim; j++) for (let i = 0; i < width; i++) rows[j * width + i] = weight[i * latentDim + j]!;
  return buildTable({
    latent_dim: { kind: 'int32', values: Int32Array.from({ length: latentDim }, (_, j) => j) },
    query: { kind: 'float32-vector', width, values: rows },
    bias: { kind: 'float32', values: bias },
  });
}
