/**
 * Section 4: Fig. 4 (stimuli and each decoder's reconstructions, item ids on top), Fig. 5 (attention per area over
 * test items), Figs. 6–7 (for the items that favour each area: the stimulus, each area's value image and the item's
 * attention per area) and the loss curves. Images are the evaluate stage's own PNGs, inlined.
 */
import { html, type Html } from '../html.js';
import { idPart } from '../format.js';
import type { AreaValueFigure, InlineImage, ReportData, Reconstructions } from '../report-model.js';
import type { RenderedChart } from '../render-chart.js';
import { chartFigure } from './chart-figure.js';

export interface FigureCharts {
  /** One per `data.attention` entry. */
  attention: RenderedChart[];
  /** One per item of each `data.areaValues` entry. */
  itemAttention: RenderedChart[][];
  /** One per `data.lossCurves` entry. */
  lossCurves: RenderedChart[];
}

export function figuresSection(data: ReportData, charts: FigureCharts): Html {
  const none = (what: string) => html`<p class="muted">${what}</p>`;
  return html`<h3>Fig. 4 — reconstructions</h3>${data.reconstructions.length ? data.reconstructions.map(figure4) : none('No reconstructions: the evaluate stage ran without a generator (evaluate.with.generator).')}
<h3>Fig. 5 — attention per area</h3>${
    data.attention.length
      ? data.attention.map((a, i) =>
          chartFigure(
            `fig-5-${idPart(a.stageId)}`,
            `Fig. 5 (stage ${a.stageId}): PAM’s attention weight per area, averaged over latent dimensions for each of ${a.items.length} test items; boxes: quartiles, whiskers: 1.5 IQR; dashed: uniform attention 1/${a.areas.length}.`,
            charts.attention[i]!,
          ),
        )
      : none('No attention: no stage trained PAM.')
  }
<h3>Figs. 6–7 — attention and value images per area</h3>${data.areaValues.length ? data.areaValues.map((f, i) => figures67(f, charts.itemAttention[i]!)) : none('No value images: they need PAM and a generator in the evaluate stage.')}
<h3>Loss curves</h3>${
    data.lossCurves.length
      ? data.lossCurves.map((c, i) =>
          chartFigure(
            `loss-curves-${idPart(c.stageId)}`,
            `Loss curves (stage ${c.stageId}): mean training MSE per epoch for each decoder; dashed: validation MSE, where the decoder held items out (validationFraction).`,
            charts.lossCurves[i]!,
          ),
        )
      : none('No loss curves: no stage trained a decoder.')
  }`;
}

function tile(image: InlineImage, alt: string): Html {
  return image ? html`<img src="${image}" alt="${alt}">` : html`<span class="missing" title="${alt}: no image">–</span>`;
}

function figure4(r: Reconstructions): Html {
  const head = html`<tr><th></th>${r.itemIds.map((id) => html`<th class="item">${id}</th>`)}</tr>`;
  const rows = r.rows.map(
    (row) =>
      html`<tr><th class="row-label">${row.label}</th>${row.images.map((img, i) => html`<td>${tile(img, `${row.label} ${r.itemIds[i]}`)}</td>`)}</tr>`,
  );
  return html`<figure id="fig-4-${idPart(r.stageId)}" class="fig-4"><table class="images">${head}${rows}</table><figcaption>Fig. 4 (stage ${r.stageId}): the first ${r.itemIds.length} test items (ids on top): stimulus, then each decoder’s reconstruction, generator(predicted latent).</figcaption></figure>`;
}

function figures67(f: AreaValueFigure, charts: readonly RenderedChart[]): Html {
  const head = html`<tr><th></th><th class="item">stimulus</th>${f.areas.map((a) => html`<th class="item">value ${a}</th>`)}<th class="item">attention per area</th></tr>`;
  const rows = f.items.map(
    (item, i) =>
      html`<tr><th class="row-label">${item.itemId}<br><span class="muted">${item.why}</span></th><td>${tile(item.stimulus, `stimulus ${item.itemId}`)}</td>${item.values.map((v, a) => html`<td>${tile(v, `value ${f.areas[a]} ${item.itemId}`)}</td>`)}<td>${charts[i]!.svg}</td></tr>`,
  );
  const specs = charts.map(
    (c, i) =>
      html`<details class="spec"><summary>Vega-Lite spec of item ${f.items[i]!.itemId} (JSON)</summary><pre>${JSON.stringify(c.spec, null, 2)}</pre></details>`,
  );
  return html`<figure id="figs-6-7-${idPart(f.stageId)}" class="figs-6-7"><table class="images">${head}${rows}</table><figcaption>Figs. 6–7 (stage ${f.stageId}): for each area, the test item attending to it most: its stimulus, the generator applied to each area’s PAM value vector, and the item’s attention per area (averaged over latent dimensions; dashed: uniform).</figcaption>${specs}</figure>`;
}
