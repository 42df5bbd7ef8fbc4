/**
 * The comparison section (`pam report <experiment> --compare <other>…`): the experiments' results side by side,
 * metric × decoder with a column per experiment and the best marked in the metric's direction, and the params that
 * differ between their configs — the table `pam compare` prints (src/evaluation/experiment-comparison.ts).
 */
import type { ExperimentComparison } from '../../evaluation/experiment-comparison.js';
import { html, type Html } from '../html.js';
import { formatValue } from '../format.js';

export function comparisonSection({ experiments, rows, params }: ExperimentComparison): Html {
  const head = html`<tr><th>metric</th><th>decoder</th>${experiments.map((name) => html`<th>${name}</th>`)}</tr>`;
  const body = rows.map(
    (r) =>
      html`<tr data-metric="${r.metric}" data-decoder="${r.decoder}"><td>${r.metric}<br><span class="muted">${r.better} is better</span></td><td>${r.decoder}</td>${r.cells.map(
        (cell, i) =>
          cell
            ? html`<td class="num${r.best === i ? ' best' : ''}">${r.best === i ? html`<span class="best-mark" title="best of the experiments">★</span> ` : ''}${formatValue(cell.mean)} ± ${formatValue(cell.se)}</td>`
            : html`<td class="num muted">–</td>`,
      )}</tr>`,
  );
  const differ = params.length
    ? html`<table class="params-differ"><thead><tr><th>param</th>${experiments.map((name) => html`<th>${name}</th>`)}</tr></thead><tbody>${params.map(
        (p) => html`<tr><td><code>${p.path}</code></td>${p.values.map((v) => html`<td><code>${v ?? '(absent)'}</code></td>`)}</tr>`,
      )}</tbody></table>`
    : html`<p class="muted">The configs differ only in their experiment names.</p>`;
  return html`<table class="comparison"><thead>${head}</thead><tbody>${body}</tbody></table>
<p class="muted">Mean ± SE over test items; ★ the best of the experiments in the metric's direction.</p>
<h3>Params that differ</h3>${differ}`;
}
