/** A rendered chart on the page: its inline SVG, a caption, and its Vega-Lite spec in a collapsed block beside it. */
import { html, type Html, type HtmlPart } from '../html.js';
import type { RenderedChart } from '../render-chart.js';

export function chartFigure(id: string, caption: HtmlPart, chart: RenderedChart): Html {
  return html`<figure id="${id}" class="chart"><div class="chart-svg">${chart.svg}</div><figcaption>${caption}</figcaption><details class="spec"><summary>Vega-Lite spec (JSON: paste it into the Vega editor in Vega-Lite mode)</summary><pre>${JSON.stringify(chart.spec, null, 2)}</pre></details></figure>`;
}
