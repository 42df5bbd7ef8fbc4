/**
 * The experiment report end to end: a tiny pipeline (PAM + baseline, evaluation with the built-in generator) run
 * by `pam run`, which prints the report's path; `pam report` renders the same page from the workflow and the store
 * alone, and finds it when asked again (`--out` copies it); headless Chromium opens it from file:// with no console
 * error and no request but file: and data:, every section and figure present and every chart drawn.
 * `PAM_UPDATE_SCREENSHOT=1` also writes its screenshot to docs/report-screenshot.png (of `PAM_SCREENSHOT_REPORT`,
 * when given: the README's comes from the demo's report).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ROOT, startTestWorld, type TestWorld } from '../support/test-world.js';
import { openReport, SCREENSHOT_WIDTH, screenshotReport } from '../support/report-page.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
let runReport: string;

const GENERATOR = '{ kind: builtin, latentDim: 16, resolution: 32 }';
const CONTACT_ITEMS = 6;

before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

test('pam run prints the report path, and the report file exists', async () => {
  const yaml =
    tinyPipeline('report', { decoders: '{ baseline: { epochs: 3, validationFraction: 0.25 }, pam: { epochs: 3, width: 16 } }' }) +
    `    with: { generator: ${GENERATOR}, perceptualSize: 32, contactItems: ${CONTACT_ITEMS} }\n`;
  const result = await world.pam(['run', world.writePipeline('report.yaml', yaml)]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const printed = /^report: (\S+report\.html)$/m.exec(result.stdout);
  assert.ok(printed, result.stdout);
  runReport = printed[1]!;
  assert.ok(runReport.startsWith(path.join(world.home, 'artifacts', 'report')), runReport);
  assert.match(readFileSync(runReport, 'utf8'), /^<!DOCTYPE html>[\s\S]*<h1>Experiment report<\/h1>/);
});

test('pam report renders the same page from the workflow and the store alone', async () => {
  const page = readFileSync(runReport);
  rmSync(path.dirname(runReport), { recursive: true });
  const result = await world.pam(['report', 'report']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.ok(result.stdout.includes(`report: ${runReport}`), result.stdout);
  assert.ok(readFileSync(runReport).equals(page), "byte for byte the run's page: same config, stage table and artifacts");
});

test('pam report --out finds the report again; Chromium shows every section and chart, offline', async () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'pam-report-out-')), 'r.html');
  const result = await world.pam(['report', 'report', '--out', out]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.ok(result.stdout.includes(`report: ${runReport}`), `the run's report is found again:\n${result.stdout}`);
  assert.deepEqual(readFileSync(out), readFileSync(runReport));

  const { browser, page, errors, requests } = await openReport(out);
  try {
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(
      requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:')),
      [],
      'no request but file: and data:',
    );
    const headings = await page.locator('section > h2').allTextContents();
    assert.deepEqual(headings, ['Stages', 'Tables', 'Figures', 'Lineage', 'Stage logs']);
    assert.equal(await page.locator('section#overview h1').textContent(), 'Experiment report');
    assert.equal(await page.locator('#stage-table tbody tr').count(), 3);
    for (const id of [
      'timeline',
      'table-2-evaluate',
      'fig-4-evaluate',
      'fig-5-train',
      'figs-6-7-evaluate',
      'loss-curves-train',
      'lineage-graph',
    ])
      assert.equal(await page.locator(`#${id}`).count(), 1, `#${id} present`);
    // Table 2: every metric has a best mark; Fig. 4: stimulus + 2 decoders × the contact items, all decoded.
    const metrics = await page
      .locator('table.table-2 tr[data-metric]')
      .evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute('data-metric')))]);
    assert.ok(metrics.includes('latent-cosine') && metrics.includes('lpips') && metrics.length === 7, metrics.join(', '));
    for (const metric of metrics)
      assert.ok((await page.locator(`table.table-2 tr[data-metric="${metric}"] .best-mark`).count()) >= 1, `${metric} has a best mark`);
    const fig4 = await page
      .locator('#fig-4-evaluate img')
      .evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
    assert.equal(fig4.length, 3 * CONTACT_ITEMS);
    assert.ok(
      fig4.every((w) => w === 32),
      `every tile decoded at 32 px: ${fig4}`,
    );
    assert.equal(await page.locator('#figs-6-7-evaluate tr th.row-label').count(), 3, 'one item per area');
    // Every chart drawn: an SVG with marks and a size.
    const charts = await page
      .locator('figure svg')
      .evaluateAll((svgs) =>
        svgs.map((s) => ({ marks: s.querySelectorAll('path, rect, line, text').length, width: s.getBoundingClientRect().width })),
      );
    assert.ok(charts.length >= 7, `${charts.length} charts`);
    for (const chart of charts) assert.ok(chart.marks > 3 && chart.width > 50, JSON.stringify(chart));
    // Each stage's log: embedded when its artifact has one, else said so.
    for (const id of ['data', 'train', 'evaluate']) {
      const text = await page.locator(`#log-${id}`).textContent();
      assert.match(text ?? '', /stage\.log|no log recorded/, id);
    }
    // Print: the collapsed specs are left out, the figures stay.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('details.spec').first().isVisible(), false);
    assert.equal(await page.locator('#fig-5-train svg').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });

    const shot = PNG.sync.read(await screenshotReport(page));
    assert.equal(shot.width, SCREENSHOT_WIDTH / 2, 'downscaled to half the CSS width');
    assert.ok(shot.height > 1000, `the whole page: ${shot.height} px`);
  } finally {
    await browser.close();
  }
  if (process.env['PAM_UPDATE_SCREENSHOT'] === '1') await updateScreenshot(process.env['PAM_SCREENSHOT_REPORT'] ?? out);
});

/** docs/report-screenshot.png from `file`: this test's report, or (PAM_SCREENSHOT_REPORT) the demo's. */
async function updateScreenshot(file: string): Promise<void> {
  const { browser, page, errors } = await openReport(file);
  try {
    assert.deepEqual(errors, [], `${file}: no console errors`);
    writeFileSync(path.join(ROOT, 'docs', 'report-screenshot.png'), await screenshotReport(page));
  } finally {
    await browser.close();
  }
}
