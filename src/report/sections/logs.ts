/** Section 6: each stage's log, as saved in its artifact (`stage.log`), collapsed. */
import { html, type Html } from '../html.js';
import { formatBytes } from '../../stages/stage-plan.js';
import { idPart } from '../format.js';
import type { ReportData } from '../report-model.js';

export function logsSection(data: ReportData): Html {
  return html`${data.stages.map(({ row, log }) => {
    const id = `log-${idPart(row.id)}`;
    if (!log) return html`<p id="${id}"><strong>${row.id}</strong> <span class="muted">— no log recorded</span></p>`;
    const cut = log.shownBytes < log.bytes ? ` — its last ${formatBytes(log.shownBytes)} of ${formatBytes(log.bytes)}` : '';
    return html`<details id="${id}" class="log"><summary><strong>${row.id}</strong> — stage.log (${formatBytes(log.bytes)})${cut}</summary><pre>${log.text}</pre></details>`;
  })}`;
}
