/**
 * The report from a real store (src/report/read-report.ts → render-report.ts → report-artifact.ts): every section
 * filled from the committed artifacts, text escaped, no URL of its own, committed as a content-addressed `report`
 * artifact that is found again for the same run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commitReport, REPORT_FILE, REPORT_STAGE } from '../../src/report/report-artifact.js';
import { LOG_SHOWN_BYTES } from '../../src/report/read-report.js';
import { AREAS, ITEMS, reportStoreFixture } from './report-store.js';

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

test('every section is filled from the store: Tables 1–2, Figs. 4–7, loss curves, lineage, logs', async () => {
  const f = await reportStoreFixture();
  const report = await commitReport(f.subject, { local: f.store, view: f.view });
  assert.equal(report.rendered, true);
  assert.equal(report.file, path.join(f.root, 'artifacts', REPORT_STAGE, report.key, REPORT_FILE));
  const page = readFileSync(report.file, 'utf8');

  // Header: the description escaped, the config as YAML.
  assert.ok(page.includes('Tiny &lt;b&gt;world&lt;/b&gt; &amp; &quot;quotes&quot;'), 'description escaped');
  assert.match(page, /<details id="config"><summary>[^<]*<\/summary><pre>experiment: tiny\n/);
  assert.match(page, /stage code versions<\/dt><dd>voxels: select-voxels v1; train: train v1; evaluate: evaluate v1; extra: evaluate v\?/);
  // Stage table: cache hit or why it ran.
  assert.match(page, /<td>voxels<\/td><td>select-voxels<\/td><td class="status-cached">cached<\/td><td>cache hit<\/td>/);
  assert.match(page, /<td>train<\/td><td>train<\/td><td class="status-done">done<\/td><td>ran: params\.decoders\.pam\.epochs: 2 → 3<\/td>/);
  // Table 1: V4 keeps none of its 80 voxels.
  assert.match(page, /<tr><td>V4<\/td><td class="num">80<\/td><td class="num">0<\/td><td class="num">0\.0 %<\/td><\/tr>/);
  // Table 2: metric → decoder, each metric's best mean marked by its direction.
  const rows = [...page.matchAll(/data-metric="([^"]+)" data-decoder="([^"]+)">(.*?)<\/tr>/g)];
  assert.deepEqual(
    rows.map((r) => `${r[1]}/${r[2]}`),
    ['latent-cosine/baseline', 'latent-cosine/pam', 'lpips/baseline', 'lpips/pam'],
  );
  assert.deepEqual(
    rows.map((r) => r[3]!.includes('best-mark')),
    [false, true, true, false],
    'pam is best on latent cosine (higher), baseline on LPIPS (lower)',
  );
  assert.match(rows[1]![3]!, /0\.5700 ± 0\.0016<\/td><td class="num">4<\/td><td class="num">2\.80e-124<\/td>/);
  assert.match(page, /lpips<br><span class="muted">lower is better<\/span>/);
  // Fig. 4: stimulus + two decoders × four items; Figs. 6–7: the item favouring each area, stimulus + three values.
  const fig4 = /<figure id="fig-4-evaluate"[\s\S]*?<\/figure>/.exec(page)![0];
  assert.equal(count(fig4, /<img src="data:image\/png;base64,/g), 3 * ITEMS.length);
  assert.deepEqual(
    [...fig4.matchAll(/<th class="row-label">([^<]+)<\/th>/g)].map((m) => m[1]),
    ['stimulus', 'baseline', 'pam'],
  );
  const figs67 = /<figure id="figs-6-7-evaluate"[\s\S]*?<\/figure>/.exec(page)![0];
  assert.deepEqual(
    [...figs67.matchAll(/<th class="row-label">([^<]+)<br><span class="muted">most attention to (\w+)/g)].map((m) => `${m[1]}:${m[2]}`),
    ['im-0:V1', 'im-1:V4', 'im-2:IT'],
  );
  assert.equal(count(figs67, /<img src="data:image\/png;base64,/g), 3 * (1 + AREAS.length));
  // Charts: timeline, Fig. 5, one per Figs. 6–7 item, loss curves, and the lineage graph, each a drawn SVG.
  for (const id of ['timeline', 'fig-5-train', 'loss-curves-train']) {
    const figure = new RegExp(`<figure id="${id}" class="chart"><div class="chart-svg"><svg [^>]*>([\\s\\S]*?)</svg>`).exec(page);
    assert.ok(figure && figure[1]!.includes('<path'), `${id} has a drawn SVG`);
  }
  assert.equal(count(figs67, /<svg /g), 3);
  assert.match(page, /<figure id="lineage-graph"><svg class="lineage"[\s\S]*?>evaluate <tspan[^>]*>evaluate<\/tspan><\/text>/);
  assert.match(page, /stroke-dasharray="4 3"\/><text [^>]*>extra </, 'the stage without artifact is dashed');
  // Logs: the evaluate log embedded, escaped; the others say so.
  assert.ok(page.includes('&lt;script&gt;alert(&quot;log&quot;)&lt;/script&gt; &amp; done'));
  assert.equal(count(page, /<script/g), 0, 'no script, not even from a log');
  for (const id of ['voxels', 'train', 'extra'])
    assert.match(page, new RegExp(`<p id="log-${id}"><strong>${id}</strong> <span class="muted">— no log recorded`));
  // No URL of its own: the only one is the user's description's (in the header and the config).
  assert.deepEqual(new Set([...page.matchAll(/https?:\/\/[^\s"'<)]*/g)].map((m) => m[0])), new Set(['https://example.org/protocol']));
});

test('the same run reported again is found, not rendered; another outcome is another report artifact', async () => {
  const f = await reportStoreFixture();
  const first = await commitReport(f.subject, { local: f.store, view: f.view });
  const again = await commitReport(f.subject, { local: f.store, view: f.view });
  assert.deepEqual({ key: again.key, rendered: again.rendered }, { key: first.key, rendered: false });
  const manifest = f.store.readManifest(REPORT_STAGE, first.key);
  assert.deepEqual(
    manifest.files.map((file) => file.path),
    [REPORT_FILE],
  );
  assert.deepEqual(Object.keys(manifest.inputs), ['voxels', 'train', 'evaluate'], 'its inputs: every artifact it shows');
  const rerun = f.subject.rows.map((r) => (r.id === 'train' ? { ...r, status: 'cached' as const, reason: undefined } : r));
  const other = await commitReport({ ...f.subject, rows: rerun }, { local: f.store, view: f.view });
  assert.notEqual(other.key, first.key);
  assert.match(readFileSync(other.file, 'utf8'), /<td>train<\/td><td>train<\/td><td class="status-cached">cached<\/td><td>cache hit<\/td>/);
});

test('a long stage log is embedded by its tail, from a whole line', async () => {
  const line = (i: number) => `line ${String(i).padStart(7, '0')} ${'x'.repeat(40)}\n`;
  const long = Array.from({ length: Math.ceil((2 * LOG_SHOWN_BYTES) / line(0).length) }, (_, i) => line(i)).join('');
  const f = await reportStoreFixture({ log: long });
  const page = readFileSync((await commitReport(f.subject, { local: f.store, view: f.view })).file, 'utf8');
  const pre = /<details id="log-evaluate" class="log"><summary>(.*?)<\/summary><pre>([\s\S]*?)<\/pre>/.exec(page)!;
  assert.match(pre[1]!, /its last 256 KiB of 512 KiB/);
  assert.ok(pre[2]!.startsWith('line '), 'starts on a whole line');
  assert.ok(pre[2]!.endsWith(line(long.split('\n').length - 2)), 'ends with the last line');
  assert.ok(pre[2]!.length <= LOG_SHOWN_BYTES);
});
