/**
 * A Vega-Lite spec drawn as inline SVG, in Node, without a browser: compiled to Vega with `vega-lite` `compile`,
 * then rendered headless (`new vega.View(vega.parse(spec), {renderer: 'none'}).toSVG()`, the Vega docs' server-side
 * recipe). Every chart's data is inline in its spec, so nothing is loaded from anywhere.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { trusted, type Html } from './html.js';

export interface RenderedChart {
  svg: Html;
  /** The spec as drawn, to paste into the Vega editor. */
  spec: TopLevelSpec;
}

/**
 * The namespace declarations Vega writes on its root element are URLs; inside HTML an inline `<svg>` is in the SVG
 * namespace without them (WHATWG HTML §13.1.2 "Foreign elements"), so they are dropped and the page names no URL.
 */
const NAMESPACE_ATTRIBUTES = / xmlns(:xlink)?="[^"]*"/g;

export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return { svg: trusted(svg.replace(NAMESPACE_ATTRIBUTES, '')), spec };
  } finally {
    view.finalize();
  }
}
