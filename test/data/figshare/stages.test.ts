/** The download → load-b2g / load-god stages end to end against the look-alike, plus manifests and the dry-run plan. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { runner as download } from '../../../src/stages/download/runner.js';
import { spec as downloadSpec } from '../../../src/stages/download/spec.js';
import { planDownload } from '../../../src/stages/download/plan-download.js';
import { runner as loadB2g } from '../../../src/stages/load-b2g/runner.js';
import { runner as loadGod } from '../../../src/stages/load-god/runner.js';
import { listManifest, verifyManifest } from '../../../src/data/manifests/commands.js';
import { loadManifest } from '../../../src/data/manifests/manifest-schema.js';
import { ConfigError, DataValidationError } from '../../../src/errors/pipeline-errors.js';
import { readFloat32Matrix, readJsonMetadata, readStrings } from '../../../src/tables/arrow-tables.js';
import type { AreaInfo } from '../../../src/tables/dataset.js';
import { startFigshareLookalike, type FigshareLookalike } from '../../support/figshare-lookalike.js';
import { commitOutput, stageContext, writtenTable } from '../../support/stage-context.js';
import { fixtureFiles, tempDir } from './helpers.js';

let lookalike: FigshareLookalike;
const dir = tempDir('pam-manifests-');
const b2gManifest = join(dir, 'b2g.yaml');
const godManifest = join(dir, 'god.yaml');

before(async () => {
  lookalike = await startFigshareLookalike({ files: fixtureFiles(), articleId: 4242 });
  writeFileSync(
    b2gManifest,
    `dataset: b2g
article: { id: 4242, version: null }
files:
  - { role: mua, match: [StyleGAN_XL_MUA.mat], loader: b2g-mua }
  - { role: latents, match: [missing-name.pickle, "*_w.pickle"], loader: b2g-latents }
`,
  );
  writeFileSync(
    godManifest,
    `dataset: god
article: { id: 4242 }
files:
  - { role: sub-01-train, subject: sub-01, split: train, loader: god-bdata, match: [sub-01_perceptionNaturalImageTraining_VC_v2.h5, sub-01_perceptionNaturalImageTraining_original_VC.h5] }
  - { role: sub-01-test, subject: sub-01, split: test, loader: god-bdata, match: "sub-01_perceptionNaturalImageTest_*.h5" }
  - { role: sub-02-train, subject: sub-02, split: train, loader: god-bdata, match: "sub-02_*Training*.h5" }
`,
  );
});
after(() => lookalike.close());

const params = (manifest: string) =>
  downloadSpec.params.parse({ manifest, apiBaseUrl: lookalike.apiBaseUrl, allowedHosts: [lookalike.storageHost], requestsPerSecond: 1000 });

test('download + load-b2g: files table, cache hits on a second experiment, and B2G dataset tables', async () => {
  const cache = tempDir('pam-cache-');
  const first = stageContext({ params: params(b2gManifest), dataCacheDir: cache });
  const result = await download.run(first);
  assert.deepEqual([result.summary.downloaded, result.summary.cacheHits], [2, 0]);
  assert.deepEqual(first.progressReports.at(-1)?.fraction, 1);
  assert.ok(first.progressReports.some((p) => (p.checkpoint as { bytes?: number } | undefined)?.bytes === 117248));
  const again = await download.run(stageContext({ params: params(b2gManifest), dataCacheDir: cache }));
  assert.deepEqual([again.summary.downloaded, again.summary.cacheHits], [0, 2]);

  const load = stageContext({
    params: {},
    dataCacheDir: cache,
    inputs: { download: await commitOutput(first, 'download', result.summary) },
  });
  const loaded = await loadB2g.run(load);
  assert.deepEqual(loaded.summary, { trainItems: 10, testItems: 4, latentDims: 512 });
  const test = writtenTable(load, 'test');
  assert.deepEqual(
    test.schema.fields.map((f) => f.name),
    ['item_id', 'latent', 'area:V1', 'area:V4', 'area:IT'],
  );
  assert.equal(readFloat32Matrix(test, 'area:IT').width, 256);
  assert.deepEqual(
    readJsonMetadata<AreaInfo[]>(test, 'areas').map((a) => a.units),
    [448, 256, 256],
  );

  // The files table is location-free: another worker's copy of the data cache, at another path, serves it.
  const paths = readStrings(load.inputs.download!.readTable('files'), 'cache_path');
  assert.ok(
    paths.every((p) => !path.isAbsolute(p) && p.startsWith('md5/')),
    paths.join(', '),
  );
  const elsewhere = tempDir('pam-cache-elsewhere-');
  cpSync(cache, elsewhere, { recursive: true });
  rmSync(cache, { recursive: true });
  const moved = await loadB2g.run(stageContext({ params: {}, dataCacheDir: elsewhere, inputs: load.inputs }));
  assert.deepEqual(moved.summary, loaded.summary);
});

test('download + load-god: one trials table per subject', async () => {
  const cache = tempDir('pam-cache-');
  const dl = stageContext({ params: params(godManifest), dataCacheDir: cache });
  const downloaded = await download.run(dl);
  const load = stageContext({
    params: {},
    dataCacheDir: cache,
    inputs: { download: await commitOutput(dl, 'download', downloaded.summary) },
  });
  assert.deepEqual((await loadGod.run(load)).summary, { subjects: 2, 'sub-01.trials': 21, 'sub-02.trials': 8 });
  const sub1 = writtenTable(load, 'trials-sub-01');
  assert.deepEqual(sub1.schema.fields.map((f) => f.name).slice(0, 5), ['image_id', 'split', 'repetition', 'run', 'area:V1']);
  assert.equal(readStrings(sub1, 'split').filter((s) => s === 'test').length, 9);
});

test('a manifest naming a file the article lacks fails, listing what the article has', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    `dataset: b2g
article: { id: 4242 }
files:
  - { role: mua, match: [StyleGAN3_MUA.mat, "*faces*.mat"], loader: b2g-mua }
`,
  );
  await assert.rejects(
    download.run(stageContext({ params: params(bad), dataCacheDir: tempDir('pam-cache-') })),
    (e: Error) =>
      e instanceof DataValidationError &&
      e.message.includes(`${bad}: role "mua": none of "StyleGAN3_MUA.mat", "*faces*.mat" matches`) &&
      e.message.includes('article 4242 has: StyleGAN_XL_MUA.mat, StyleGAN_XL_w.pickle, sub-01_'),
  );
});

test('an ambiguous glob and an invalid manifest key are reported precisely', async () => {
  const ambiguous = join(dir, 'ambiguous.yaml');
  writeFileSync(
    ambiguous,
    'dataset: x\narticle: { id: 4242 }\nfiles:\n  - { role: a, match: "sub-01_*.h5", subject: s, split: train, loader: god-bdata }\n',
  );
  await assert.rejects(
    download.run(stageContext({ params: params(ambiguous), dataCacheDir: tempDir('pam-cache-') })),
    /"sub-01_\*\.h5" matches 2 files/,
  );
  const invalid = join(dir, 'invalid.yaml');
  writeFileSync(
    invalid,
    'dataset: x\narticle: { id: 4242 }\nfiles:\n  - { role: a, match: x.h5, loader: god-bdata }\n  - { role: b, match: y.mat, loader: matlab }\n',
  );
  assert.throws(
    () => loadManifest(invalid),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message.includes('files.0: a god-bdata file needs `subject` and `split`') &&
      e.message.includes('files.1.loader: Invalid enum value'),
  );
});

test('dry-run plan and `data list --offline` need no network; `data verify` recomputes md5s', async () => {
  const cache = tempDir('pam-cache-');
  for (const manifest of ['data-manifests/b2g.yaml', 'data-manifests/god.yaml']) {
    const plan = await planDownload(manifest, { cacheRoot: cache });
    assert.equal(plan.toDownload, plan.files.length);
    assert.ok(plan.files.every((f) => f.state === 'missing' && f.name === null));
  }
  await download.run(stageContext({ params: params(b2gManifest), dataCacheDir: cache }));
  const offline = await listManifest(b2gManifest, { cacheRoot: cache, offline: true });
  assert.deepEqual(
    offline.map((r) => [r.role, r.name, r.state]),
    [
      ['mua', 'StyleGAN_XL_MUA.mat', 'cached'],
      ['latents', 'StyleGAN_XL_w.pickle', 'cached'],
    ],
  );
  const verified = await verifyManifest(b2gManifest, { cacheRoot: cache });
  assert.deepEqual(
    verified.map((r) => r.state),
    ['ok', 'ok'],
  );
  writeFileSync(verified[1]!.cachePath!, 'x'.repeat(28849)); // same size, different content
  assert.deepEqual(
    (await verifyManifest(b2gManifest, { cacheRoot: cache })).map((r) => r.state),
    ['ok', 'md5-mismatch'],
  );
});
