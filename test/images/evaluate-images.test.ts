/**
 * The evaluate stage with a generator: image metrics rows next to latent cosine, reconstructions and value images as
 * PNG, contact sheets; a decoder closer to the truth ranks better on every image metric.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rng } from '../../src/random/rng.js';
import { spec } from '../../src/stages/evaluate/spec.js';
import { runner } from '../../src/stages/evaluate/runner.js';
import { buildTable, readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { inputArtifact, stageContext, writtenTable } from '../support/stage-context.js';

const DIM = 16;
const ITEMS = 8;

describe('evaluate with image metrics', () => {
  it('adds LPIPS and VGG rows per decoder, writes reconstructions, value images and contact sheets', async () => {
    const rng = new Rng(11);
    const ids = Array.from({ length: ITEMS }, (_, i) => `te-${i}`);
    const truth = rng.normals(ITEMS * DIM);
    const noisy = (scale: number) => truth.map((v) => v + scale * rng.normal());
    const dataset = await inputArtifact('data', {
      test: buildTable({ item_id: { kind: 'utf8', values: ids }, latent: { kind: 'float32-vector', width: DIM, values: truth } }),
    });
    const pam = noisy(0.3);
    const baseline = noisy(1.5);
    const latents = new Float32Array(2 * ITEMS * DIM);
    latents.set(baseline);
    latents.set(pam, ITEMS * DIM);
    const areaValues = new Float32Array(ITEMS * 2 * DIM);
    for (let i = 0; i < ITEMS; i++) {
      areaValues.set(
        pam.subarray(i * DIM, (i + 1) * DIM).map((v) => v * 0.5),
        2 * i * DIM,
      );
      areaValues.set(rng.normals(DIM), (2 * i + 1) * DIM);
    }
    const predictions = await inputArtifact('train', {
      predictions: buildTable({
        decoder: { kind: 'utf8', values: [...ids.map(() => 'baseline'), ...ids.map(() => 'pam')] },
        item_id: { kind: 'utf8', values: [...ids, ...ids] },
        latent: { kind: 'float32-vector', width: DIM, values: latents },
      }),
      values: buildTable({
        item_id: { kind: 'utf8', values: ids.flatMap((id) => [id, id]) },
        area: { kind: 'utf8', values: ids.flatMap(() => ['V1', 'IT']) },
        value: { kind: 'float32-vector', width: DIM, values: areaValues },
      }),
    });
    const params = spec.params.parse({
      generator: { kind: 'builtin', resolution: 32, latentDim: DIM, seed: 4 },
      perceptualSize: 32,
      contactItems: 4,
    });
    const ctx = stageContext({ params, backend: 'wasm', inputs: { dataset, predictions } });
    const result = await runner.run(ctx);
    assert.match(String(result.summary['images.featureNet']), /seeded stand-in weights/);
    assert.match(String(result.summary['images.lpips']), /lpips=False/);
    // Rendering and scoring report each batch, so the engine's silence watch hears from a long evaluation.
    const messages = ctx.progressReports.map((r) => r.message);
    for (const line of ['rendered 8/8 pam reconstructions', 'scored 8/8 baseline reconstructions', 'rendered 8/8 IT value images']) {
      assert.ok(messages.includes(line), `${line} in ${messages.join(' | ')}`);
    }

    const results = writtenTable(ctx, 'results');
    const decoder = readStrings(results, 'decoder');
    const metric = readStrings(results, 'metric');
    const mean = readNumbers(results, 'mean');
    const p = readNumbers(results, 'p_vs_reference');
    const row = (d: string, m: string) => decoder.findIndex((x, i) => x === d && metric[i] === m);
    for (const m of ['latent-cosine', 'lpips', 'vgg-2/16', 'vgg-4/16', 'vgg-7/16', 'vgg-10/16', 'vgg-13/16']) {
      assert.ok(row('pam', m) >= 0 && row('baseline', m) >= 0, `rows for ${m}`);
      if (m === 'lpips') assert.ok(mean[row('pam', m)]! < mean[row('baseline', m)]!, 'PAM has the lower LPIPS');
      else assert.ok(mean[row('pam', m)]! > mean[row('baseline', m)]!, `PAM has the higher ${m}`);
      assert.ok(p[row('pam', m)]! < 0.05, `${m}: paired t-test p = ${p[row('pam', m)]}`);
    }
    for (const file of [
      'contact-sheet.png',
      'value-images.png',
      'images/stimulus/te-0.png',
      'images/pam/te-7.png',
      'images/baseline/te-3.png',
      'images/values-IT/te-1.png',
    ]) {
      assert.ok(existsSync(join(ctx.output.dir, file)), file);
    }
    // Contact sheet: 3 rows (stimulus, baseline, pam) × 4 items of 32 px with 2 px gaps.
    const sheet = readFileSync(join(ctx.output.dir, 'contact-sheet.png'));
    assert.equal(sheet.readUInt32BE(16), 4 * 32 + 5 * 2);
    assert.equal(sheet.readUInt32BE(20), 3 * 32 + 4 * 2);
  });
});
