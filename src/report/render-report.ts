/** The whole report page from the report's data: every chart drawn (render-chart.ts), every section assembled. */
import { timelineSpec, type TimelineBar } from './charts/timeline.js';
import { attentionBoxplotSpec } from './charts/attention-boxplot.js';
import { itemAttentionSpec } from './charts/item-attention.js';
import { lossCurvesSpec } from './charts/loss-curves.js';
import { renderChart } from './render-chart.js';
import { reportDocument } from './report-document.js';
import type { ReportData } from './report-model.js';
import { overviewSection } from './sections/overview.js';
import { stagesSection } from './sections/stages.js';
import { tablesSection } from './sections/tables.js';
import { figuresSection } from './sections/figures.js';
import { lineageSection } from './sections/lineage.js';
import { logsSection } from './sections/logs.js';
import { comparisonSection } from './sections/comparison.js';
import { html } from './html.js';

export async function renderReport(data: ReportData): Promise<string> {
  const bars: TimelineBar[] = data.stages.flatMap(({ row, manifest }) =>
    manifest ? [{ stage: row.id, how: row.status === 'cached' ? 'cache hit' : 'computed', ...manifest.timings }] : [],
  );
  const timeline = bars.length ? await renderChart(timelineSpec(bars)) : null;
  const charts = {
    attention: await Promise.all(data.attention.map((a) => renderChart(attentionBoxplotSpec(a)))),
    itemAttention: await Promise.all(
      data.areaValues.map((f) => Promise.all(f.items.map((item) => renderChart(itemAttentionSpec(item.itemId, f.areas, item.attention))))),
    ),
    lossCurves: await Promise.all(data.lossCurves.map((c) => renderChart(lossCurvesSpec(c)))),
  };
  return reportDocument(`${data.experiment} — pam report`, [
    { id: 'overview', heading: '', body: overviewSection(data) },
    { id: 'stages', heading: 'Stages', body: stagesSection(data, timeline) },
    { id: 'tables', heading: 'Tables', body: tablesSection(data) },
    ...(data.comparison
      ? [{ id: 'comparison', heading: 'Compared with other experiments', body: comparisonSection(data.comparison) }]
      : []),
    { id: 'figures', heading: 'Figures', body: figuresSection(data, charts) },
    { id: 'lineage', heading: 'Lineage', body: lineageSection(data) },
    {
      id: 'logs',
      heading: 'Stage logs',
      body: html`${logsSection(data)}`,
    },
  ]);
}
