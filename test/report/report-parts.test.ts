/** The report's pure parts: HTML escaping, Table 2's order and best marks, the chart specs, the lineage layout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, trusted } from '../../src/report/html.js';
import { bestDecoders, orderedResults } from '../../src/report/sections/tables.js';
import { depths, lineageSvg } from '../../src/report/charts/lineage-graph.js';
import { itemAttention, itemsFavouringEachArea } from '../../src/report/item-attention.js';
import { timelineSpec } from '../../src/report/charts/timeline.js';
import { attentionBoxplotSpec } from '../../src/report/charts/attention-boxplot.js';
import { lossCurvesSpec } from '../../src/report/charts/loss-curves.js';
import { renderChart } from '../../src/report/render-chart.js';
import { comparisonSection } from '../../src/report/sections/comparison.js';
import type { ResultsTable } from '../../src/report/report-model.js';

test('interpolated text is escaped once; markup built by html`` or trusted() is kept', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const cell = html`<td title="${'"><script>'}">${'a < b'}</td>`;
  assert.equal(cell.text, '<td title="&quot;&gt;&lt;script&gt;">a &lt; b</td>');
  assert.equal(html`<tr>${[cell, null, undefined, false, 3]}</tr>`.text, `<tr>${cell.text}3</tr>`, 'nested markup is not escaped again');
  assert.equal(html`${trusted('<svg></svg>')}`.text, '<svg></svg>');
});

const row = (decoder: string, metric: string, mean: number) => ({ decoder, metric, mean, se: 0.01, n: 10, p: Number.NaN });

test('Table 2 rows go metric → decoder; the best mean follows the metric direction, ties all marked', () => {
  const table: ResultsTable = {
    stageId: 'evaluate',
    referenceDecoder: 'baseline',
    rows: [
      row('baseline', 'latent-cosine', 0.4),
      row('baseline', 'lpips', 1.9),
      row('pam', 'latent-cosine', 0.6),
      row('pam', 'lpips', 2.2),
    ],
  };
  assert.deepEqual(
    orderedResults(table).map((g) => [g.metric, g.rows.map((r) => r.decoder)]),
    [
      ['latent-cosine', ['baseline', 'pam']],
      ['lpips', ['baseline', 'pam']],
    ],
  );
  assert.deepEqual(
    [
      ...bestDecoders(
        'latent-cosine',
        table.rows.filter((r) => r.metric === 'latent-cosine'),
      ),
    ],
    ['pam'],
  );
  assert.deepEqual(
    [
      ...bestDecoders(
        'lpips',
        table.rows.filter((r) => r.metric === 'lpips'),
      ),
    ],
    ['baseline'],
  );
  assert.deepEqual(
    [...bestDecoders('vgg-2/16', [row('a', 'vgg-2/16', 0.5), row('b', 'vgg-2/16', 0.5), row('c', 'vgg-2/16', 0.4)])],
    ['a', 'b'],
  );
});

test('per-item attention means over latent dims; Figs. 6–7 pick a different item for each area', () => {
  const weights = { width: 2, rows: 4, values: Float32Array.from([0.2, 0.4, 0.8, 0.6, 0.9, 0.5, 0.1, 0.5]) };
  const attention = itemAttention('train', ['V1', 'IT'], { item_id: ['a', 'a', 'b', 'b'], area: ['V1', 'IT', 'V1', 'IT'], weights });
  assert.deepEqual(
    attention.items.map((i) => [i.itemId, i.byArea.map((x) => Number(x.toFixed(4)))]),
    [
      ['a', [0.3, 0.7]],
      ['b', [0.7, 0.3]],
    ],
  );
  assert.deepEqual(
    itemsFavouringEachArea(attention, 6).map((c) => c.itemId),
    ['b', 'a'],
  );
  // One item favouring both areas most is shown once; the next best takes the second area.
  const lopsided = {
    stageId: 't',
    areas: ['V1', 'IT'],
    items: [
      { itemId: 'x', byArea: [0.9, 0.8] },
      { itemId: 'y', byArea: [0.1, 0.2] },
    ],
  };
  assert.deepEqual(
    itemsFavouringEachArea(lopsided, 6).map((c) => c.itemId),
    ['x', 'y'],
  );
  assert.equal(itemsFavouringEachArea(lopsided, 1).length, 1);
});

test('chart specs carry the data they draw; the SVG names no URL', async () => {
  const timeline = timelineSpec([
    { stage: 'data', how: 'cache hit', startedAt: '2026-12-03T08:00:00.000Z', finishedAt: '2026-12-03T08:00:01.500Z' },
    { stage: 'train', how: 'computed', startedAt: '2026-12-03T08:00:02.000Z', finishedAt: '2026-12-03T08:00:12.000Z' },
  ]);
  const values = (timeline.data as { values: { stage: string; start: number; finish: number; label: string }[] }).values;
  assert.deepEqual(
    values.map((v) => [v.stage, v.start, v.finish, v.label]),
    [
      ['data', 0, 1.5, '1.5 s'],
      ['train', 2, 12, '10.0 s'],
    ],
  );
  const box = attentionBoxplotSpec({ stageId: 'train', areas: ['V1', 'IT'], items: [{ itemId: 'a', byArea: [0.3, 0.7] }] });
  assert.equal(JSON.stringify(box).match(/"uniform":0\.5/g)?.length, 1, 'the uniform share is 1/areas');
  const loss = lossCurvesSpec({
    stageId: 'train',
    points: [
      { decoder: 'baseline', epoch: 1, loss: 1.2, validationLoss: 1.3 },
      { decoder: 'pam', epoch: 1, loss: 1.1, validationLoss: null },
    ],
  });
  const lossValues = (loss.data as { values: { decoder: string; split: string }[] }).values;
  assert.deepEqual(
    lossValues.map((v) => `${v.decoder}/${v.split}`),
    ['baseline/training', 'baseline/validation', 'pam/training'],
  );
  const drawn = await renderChart(timeline);
  assert.match(drawn.svg.text, /^<svg [^>]*class="marks"/);
  assert.ok(drawn.svg.text.includes('>train</text>') && drawn.svg.text.includes('>10.0 s</text>'), 'labels drawn');
  assert.doesNotMatch(drawn.svg.text, /https?:/);
  assert.doesNotMatch(JSON.stringify(drawn.spec), /https?:/);
});

test('the lineage graph is layered by depth: a stage one column past its deepest input', () => {
  const nodes = [
    { id: 'data', kind: 'synthesize-b2g', key: 'a'.repeat(64), inputs: [] },
    { id: 'train', kind: 'train', key: 'b'.repeat(64), inputs: [{ role: 'dataset', from: 'data' }] },
    {
      id: 'evaluate',
      kind: 'evaluate',
      inputs: [
        { role: 'dataset', from: 'data' },
        { role: 'predictions', from: 'train' },
      ],
    },
  ];
  assert.deepEqual(Object.fromEntries(depths(nodes)), { data: 0, train: 1, evaluate: 2 });
  const svg = lineageSvg(nodes).text;
  assert.equal(svg.match(/<g class="node">/g)?.length, 3);
  assert.equal(svg.match(/<g class="edge">/g)?.length, 3);
  assert.ok(svg.includes('>aaaaaaaaaaaa</text>') && svg.includes('>no artifact</text>'), 'short keys, and none for evaluate');
  const xOf = (id: string) => Number(new RegExp(`<title>${id} [^<]*</title><rect x="([\\d.]+)"`).exec(svg)![1]);
  assert.ok(xOf('data') < xOf('train') && xOf('train') < xOf('evaluate'));
  assert.deepEqual(Object.fromEntries(depths([{ id: 'a', kind: 'k', inputs: [{ role: 'r', from: 'a' }] }])), { a: 0 }, 'a cycle ends');
});

test('the comparison section: a column per experiment, the best marked in the metric direction, the params that differ', () => {
  const cell = (mean: number) => ({ mean, se: 0.01, n: 20 });
  const section = comparisonSection({
    experiments: ['seed-9', 'seed-<10>'],
    rows: [
      { metric: 'lpips', better: 'lower', decoder: 'pam', cells: [cell(0.4), cell(0.3)], best: 1 },
      { metric: 'latent-cosine', better: 'higher', decoder: 'pam', cells: [cell(0.6), null], best: null },
    ],
    params: [{ path: 'seed', values: ['9', '10'] }],
  }).text;
  assert.match(section, /<th>seed-9<\/th><th>seed-&lt;10&gt;<\/th>/);
  assert.match(
    section,
    /lower is better<\/span><\/td><td>pam<\/td><td class="num">0\.4000 ± 0\.0100<\/td><td class="num best"><span class="best-mark"/,
  );
  assert.match(section, /<td class="num muted">–<\/td>/, 'a missing result is a dash');
  assert.match(section, /<code>seed<\/code><\/td><td><code>9<\/code><\/td><td><code>10<\/code>/);
});
