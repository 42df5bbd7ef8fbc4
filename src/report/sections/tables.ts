/**
 * Section 3: Table 1 (voxels per area before and after selection, when the experiment selects voxels) and Table 2
 * (metric × decoder: mean ± SE over test items, n, paired-t p against the reference decoder, which way the metric
 * improves, the best mean marked), rows ordered metric → decoder.
 */
import { compareByDirection, metricDirection } from '../../evaluation/metric-direction.js';
import { html, type Html } from '../html.js';
import { formatP, formatValue, idPart } from '../format.js';
import type { ReportData, ResultsTable, VoxelCounts } from '../report-model.js';

export function tablesSection(data: ReportData): Html {
  return html`${data.voxelCounts.map(table1)}${
    data.results.length
      ? data.results.map(table2)
      : html`<p class="muted" id="table-2">No results table: the experiment has no evaluate stage with a committed artifact.</p>`
  }`;
}

function table1(counts: VoxelCounts): Html {
  const rows = counts.rows.map(
    (r) =>
      html`<tr><td>${r.area}</td><td class="num">${r.before}</td><td class="num">${r.after}</td><td class="num">${r.before ? `${((100 * r.after) / r.before).toFixed(1)} %` : ''}</td></tr>`,
  );
  return html`<h3 id="table-1-${idPart(counts.stageId)}" class="table-1">Table 1 — voxels per area before and after selection (stage ${counts.stageId})</h3>
<table class="table-1"><thead><tr><th>area</th><th>voxels before</th><th>voxels after</th><th>kept</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The rows grouped by metric (first-seen order), decoders in first-seen order within each. */
export function orderedResults(table: ResultsTable): { metric: string; rows: ResultsTable['rows'] }[] {
  const metrics = [...new Set(table.rows.map((r) => r.metric))];
  const decoders = [...new Set(table.rows.map((r) => r.decoder))];
  return metrics.map((metric) => ({
    metric,
    rows: table.rows.filter((r) => r.metric === metric).sort((a, b) => decoders.indexOf(a.decoder) - decoders.indexOf(b.decoder)),
  }));
}

/** The decoders with the best mean of a metric, by its direction (ties all marked). */
export function bestDecoders(metric: string, rows: ResultsTable['rows']): Set<string> {
  const best = rows.reduce<number | undefined>(
    (b, r) => (b === undefined || compareByDirection(metric, r.mean, b) < 0 ? r.mean : b),
    undefined,
  );
  return new Set(rows.filter((r) => r.mean === best).map((r) => r.decoder));
}

function table2(table: ResultsTable): Html {
  const body = orderedResults(table).flatMap(({ metric, rows }) => {
    const best = rows.length > 1 ? bestDecoders(metric, rows) : new Set<string>();
    return rows.map((r, i) => {
      const isBest = best.has(r.decoder);
      return html`<tr class="${i === 0 ? 'group-start' : ''}" data-metric="${metric}" data-decoder="${r.decoder}">${
        i === 0 ? html`<td rowspan="${rows.length}">${metric}<br><span class="muted">${metricDirection(metric)} is better</span></td>` : ''
      }<td>${r.decoder}${r.decoder === table.referenceDecoder ? html` <span class="muted">(reference)</span>` : ''}</td><td class="num${isBest ? ' best' : ''}">${isBest ? html`<span class="best-mark" title="best mean of ${metric}">★</span> ` : ''}${formatValue(r.mean)} ± ${formatValue(r.se)}</td><td class="num">${r.n}</td><td class="num">${formatP(r.p)}</td></tr>`;
    });
  });
  return html`<h3 id="table-2-${idPart(table.stageId)}" class="table-2">Table 2 — reconstruction quality per metric and decoder (stage ${table.stageId})</h3>
<table class="table-2"><thead><tr><th>metric</th><th>decoder</th><th>mean ± SE</th><th>n</th><th>p vs ${table.referenceDecoder}</th></tr></thead><tbody>${body}</tbody></table>
<p class="muted">Mean ± standard error (ddof 1) over test items; p: paired t-test against the reference decoder ${table.referenceDecoder} on the same items; ★ the best mean of each metric.</p>`;
}
