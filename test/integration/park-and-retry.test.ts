/**
 * A stage that fails with a non-retryable error parks the experiment (it does not end); once the cause is
 * fixed, `pam retry` completes it. The scenario is real: a data manifest names a file the Figshare article does
 * not have (served by the loopback look-alike), the download stage refuses with the list of files the article
 * has, the user corrects the manifest, and the experiment goes on through download → load-b2g → train → evaluate.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { startFigshareLookalike, type FigshareLookalike } from '../support/figshare-lookalike.js';
import { fixtureFiles } from '../data/figshare/helpers.js';
import { BLOCKED_STAGE_KEY } from '../../workflows/search-attributes.js';

let world: TestWorld;
let lookalike: FigshareLookalike;
let manifest: string;

const manifestYaml = (muaName: string) => `dataset: b2g
article: { id: 4242, version: null }
files:
  - { role: mua, match: [${muaName}], loader: b2g-mua }
  - { role: latents, match: [StyleGAN_XL_w.pickle], loader: b2g-latents }
`;

before(async () => {
  world = await startTestWorld();
  lookalike = await startFigshareLookalike({ files: fixtureFiles(), articleId: 4242 });
  manifest = path.join(world.home, 'b2g-manifest.yaml');
  writeFileSync(manifest, manifestYaml('StyleGAN_XL_MUA_v2.mat'));
});
after(async () => {
  await lookalike?.close();
  await world?.stop();
});

test('a non-retryable failure parks the experiment; after the fix, pam retry completes it', async () => {
  const pipeline = world.writePipeline(
    'real-format.yaml',
    `experiment: parked
seed: 9
runtime: { heartbeatTimeoutSeconds: 10, maximumAttempts: 3 }
stages:
  fetch:
    uses: download
    with: { manifest: ${manifest}, apiBaseUrl: "${lookalike.apiBaseUrl}", allowedHosts: ["${lookalike.storageHost}"], requestsPerSecond: 100 }
  data:
    uses: load-b2g
    inputs: { download: fetch }
  train:
    uses: train
    inputs: { dataset: data }
    with: { decoders: { baseline: { epochs: 2 } } }
  evaluate:
    uses: evaluate
    inputs: { dataset: data, predictions: train }
`,
  );
  const first = await world.pam(['run', pipeline]);
  assert.equal(first.code, 3, first.stdout + first.stderr);
  assert.match(first.stderr, /stage fetch failed for good: DataValidationError: .*StyleGAN_XL_MUA_v2\.mat.*StyleGAN_XL_MUA\.mat/s);
  assert.match(first.stderr, /pam retry parked/);

  const handle = world.client.workflow.getHandle('pam-experiment-parked');
  const desc = await handle.describe();
  assert.equal(desc.status.name, 'RUNNING', 'a parked experiment is not ended');
  assert.equal(desc.typedSearchAttributes.get(BLOCKED_STAGE_KEY), 'fetch');
  const status = await world.pam(['status', 'parked']);
  assert.match(status.stdout, /PARKED at fetch/);
  assert.match(status.stdout, /fetch\s+download\s+failed/);
  const history = await handle.fetchHistory();
  const attempts = history
    .events!.filter((e) => e.activityTaskStartedEventAttributes)
    .map((e) => e.activityTaskStartedEventAttributes!.attempt);
  assert.ok(
    attempts.every((a) => a === 1),
    'a non-retryable error is not retried',
  );

  writeFileSync(manifest, manifestYaml('StyleGAN_XL_MUA.mat'));
  const retry = await world.pam(['retry', 'parked']);
  assert.equal(retry.code, 0, retry.stdout + retry.stderr);
  assert.match(retry.stdout, /completed: 4 stages \(0 cache hits, 4 computed\)/);
  assert.match(retry.stdout, /latent-cosine\s+higher\s+baseline/);
  const after = await handle.describe();
  assert.equal(after.status.name, 'COMPLETED');
  assert.equal(after.typedSearchAttributes.get(BLOCKED_STAGE_KEY), undefined);
});
