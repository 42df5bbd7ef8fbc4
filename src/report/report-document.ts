/**
 * The report's page: one self-contained HTML file (styles inline, no script, no font or file from elsewhere), so it
 * opens from `file://` on a machine without network and prints readably (the print rules drop the collapsed specs,
 * keep figures and table rows whole, and let the charts fit the page width).
 */
import { html, trusted, type Html } from './html.js';

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1b1b1b; margin: 0; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #4c78a8; padding-bottom: 3px; margin: 36px 0 12px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p.lead { font-size: 15px; color: #333; margin: 0 0 12px; }
nav { font-size: 13px; margin: 8px 0 16px; }
nav a { margin-right: 14px; color: #2c5a8a; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 8px 0 12px; }
dl.facts dt { font-weight: 600; color: #444; }
dl.facts dd { margin: 0; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
pre { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 10px; overflow: auto; max-height: 480px; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group-start td { border-top: 2px solid #bbb; }
.best { font-weight: 700; color: #0b5d1e; }
.muted { color: #666; }
.status-failed { color: #a40000; font-weight: 600; }
.status-cached { color: #555; }
.status-done { color: #0b5d1e; }
figure { margin: 12px 0 22px; }
figcaption { font-size: 13px; color: #333; margin-top: 6px; max-width: 900px; }
figure svg { max-width: 100%; height: auto; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: #2c5a8a; }
table.images td, table.images th { border: none; padding: 2px 3px; text-align: center; }
table.images th.row-label { text-align: right; padding-right: 8px; white-space: nowrap; }
table.images img { width: 72px; height: 72px; image-rendering: pixelated; display: block; }
table.images .item { font-size: 11px; color: #555; font-family: ui-monospace, monospace; }
.missing { display: inline-block; width: 72px; height: 72px; line-height: 72px; background: #f0f0f0; color: #999; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav, details.spec { display: none; }
  h2 { break-after: avoid; }
  figure, table, tr, dl.facts { break-inside: avoid; }
  pre { max-height: none; }
  a { color: inherit; text-decoration: none; }
}
`;

export function reportDocument(title: string, sections: readonly { id: string; heading: string; body: Html }[]): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<main>
${sections.map((s) => html`<section id="${s.id}">${s.heading ? html`<h2>${s.heading}</h2>` : ''}${s.body}</section>\n`)}
</main>
</body>
</html>
`;
  return page.text;
}
