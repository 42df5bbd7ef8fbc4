/** Figs. 6–7: one test item's attention per area (averaged over latent dimensions), beside its value images. */
import type { TopLevelSpec } from 'vega-lite';

export function itemAttentionSpec(itemId: string, areas: readonly string[], attention: readonly number[]): TopLevelSpec {
  return {
    description: `Attention per area of test item ${itemId}`,
    width: 150,
    height: { step: 16 },
    data: { values: areas.map((area, a) => ({ area, attention: attention[a] })) },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'area', type: 'nominal', sort: [...areas], title: null },
          x: {
            field: 'attention',
            type: 'quantitative',
            title: 'mean attention',
            scale: { domain: [0, Math.max(...attention, 1 / areas.length) * 1.1] },
          },
          color: { field: 'area', type: 'nominal', sort: [...areas], legend: null },
        },
      },
      {
        data: { values: [{ uniform: 1 / areas.length }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#666' },
        encoding: { x: { field: 'uniform', type: 'quantitative' } },
      },
    ],
  };
}
