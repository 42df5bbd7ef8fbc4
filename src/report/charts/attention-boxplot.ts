/**
 * Fig. 5 of the paper: the distribution over test items of PAM's attention per area (each item's weights averaged
 * over latent dimensions), as box plots, with the uniform share 1/areas as a dashed rule.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ItemAttention } from '../report-model.js';

export function attentionBoxplotSpec(attention: ItemAttention): TopLevelSpec {
  const values = attention.items.flatMap((item) =>
    attention.areas.map((area, a) => ({ area, item: item.itemId, attention: item.byArea[a] })),
  );
  return {
    description: 'Attention per area over test items',
    width: { step: 60 },
    height: 220,
    layer: [
      {
        data: { values },
        mark: { type: 'boxplot', extent: 1.5, size: 28 },
        encoding: {
          x: { field: 'area', type: 'nominal', sort: attention.areas, title: 'area', axis: { labelAngle: 0 } },
          y: { field: 'attention', type: 'quantitative', title: 'mean attention weight per item', scale: { zero: false } },
          color: { field: 'area', type: 'nominal', sort: attention.areas, legend: null },
        },
      },
      {
        data: { values: [{ uniform: 1 / attention.areas.length }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#666' },
        encoding: { y: { field: 'uniform', type: 'quantitative' } },
      },
    ],
  };
}
