/**
 * Section 2: the stage table (status, cache hit or why the stage ran, duration, worker, backend, artifact key) and
 * the timeline of the artifacts' computation.
 */
import { html, type Html } from '../html.js';
import { formatSeconds, shortKey } from '../format.js';
import type { ReportData, ReportStage } from '../report-model.js';
import type { RenderedChart } from '../render-chart.js';
import { chartFigure } from './chart-figure.js';

/** What the run did with the stage, in the words of `pam status`. */
export function whyCell(row: ReportStage['row']): string {
  if (row.status === 'cached') return 'cache hit';
  if (row.status === 'failed') return row.error ?? 'failed';
  if (row.status === 'done') return row.reason ? `ran: ${row.reason}` : 'ran';
  return row.reason ?? '';
}

export function stagesSection(data: ReportData, timeline: RenderedChart | null): Html {
  const rows = data.stages.map(({ row, manifest }) => {
    const producer = manifest?.producer;
    return html`<tr><td>${row.id}</td><td>${row.uses}</td><td class="status-${row.status}">${row.status}</td><td>${whyCell(row)}</td><td class="num">${manifest ? formatSeconds(manifest.timings.seconds) : ''}</td><td>${producer ? `${producer.host} (pid ${producer.pid}${producer.attempt ? `, attempt ${producer.attempt}` : ''})` : ''}</td><td>${producer?.backend ?? ''}</td><td class="mono" title="${row.key ?? ''}">${row.key ? shortKey(row.key) : ''}</td></tr>`;
  });
  return html`<table id="stage-table"><thead><tr><th>stage</th><th>kind</th><th>status</th><th>cache hit, or why it ran</th><th>duration</th><th>worker</th><th>backend</th><th>artifact key</th></tr></thead><tbody>${rows}</tbody></table>
${
  timeline
    ? chartFigure(
        'timeline',
        'Timeline: when each stage computed its artifact (from the manifests’ timings). Grey bars are cache hits of this run, computed by an earlier one.',
        timeline,
      )
    : html`<p class="muted" id="timeline">No timeline: no stage has committed an artifact yet.</p>`
}`;
}
