/**
 * Training loss per epoch (the train stage's `loss-curve` table: mean training MSE per epoch, and the validation
 * MSE where a decoder held items out), one panel per decoder, each with its own loss scale.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LossCurves } from '../report-model.js';

export function lossCurvesSpec(curves: LossCurves): TopLevelSpec {
  const values = curves.points.flatMap((p) => [
    { decoder: p.decoder, epoch: p.epoch, split: 'training', loss: p.loss },
    ...(p.validationLoss === null ? [] : [{ decoder: p.decoder, epoch: p.epoch, split: 'validation', loss: p.validationLoss }]),
  ]);
  const decoders = [...new Set(curves.points.map((p) => p.decoder))];
  // Only the splits there are: a legend entry for a validation curve no decoder has would mislead.
  const splits = [...new Set(values.map((v) => v.split))];
  return {
    description: 'Loss per epoch and decoder',
    data: { values },
    facet: { column: { field: 'decoder', type: 'nominal', sort: decoders, title: null } },
    spec: {
      width: 260,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'loss', type: 'quantitative', title: 'MSE', scale: { zero: false } },
        color: { field: 'split', type: 'nominal', scale: { domain: splits }, title: null },
        strokeDash: { field: 'split', type: 'nominal', scale: { domain: splits }, title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
