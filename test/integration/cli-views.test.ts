/**
 * The reading commands against a real dev server after small experiments ran: `pam logs` prints a stage's kept log
 * (the train stage's `tensor backend` line; a failed attempt's log with its error; an unknown stage is exit 2 with the
 * nearest id), `pam list` lists the experiments with their headline number (also from the store alone), and
 * `pam compare` puts two runs side by side with the params that differ.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startTestWorld, type TestWorld } from '../support/test-world.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
  for (const [name, options] of [
    ['views-a', { seed: 3 }],
    ['views-b', { seed: 4, epochs: 4 }],
  ] as const) {
    const run = await world.pam(['run', world.writePipeline(`${name}.yaml`, tinyPipeline(name, options))]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  }
});
after(async () => world?.stop());

test('pam logs prints the log kept with the train artifact, and names the stages when one is unknown', async () => {
  const logs = await world.pam(['logs', 'views-a', 'train']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z info {2}\[train\] train key [0-9a-f]{64}: attempt 1 on /);
  assert.match(logs.stdout, /info {2}\[train\] tensor backend \w+/);
  // Both decoders train at once (baseline 3 epochs, PAM 2): either may finish last and carry the stage to 100 %.
  assert.match(logs.stdout, /info {2}progress \d+%: pam epoch 2\/2 /);
  assert.match(logs.stdout, /info {2}progress 100%: (pam epoch 2\/2|baseline epoch 3\/3) /);
  assert.match(logs.stderr, /stage\.log of artifact [0-9a-f]{16}/);
  const typo = await world.pam(['logs', 'views-a', 'trian']);
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr.trim(), 'experiment views-a has no stage "trian" (did you mean "train"?); its stages are data, train, evaluate');
});

test('pam logs of a parked stage prints its failed attempt log, ending with why it failed', async () => {
  const file = world.writePipeline(
    'views-fail.yaml',
    tinyPipeline('views-fail', { seed: 5, runtime: '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 1 }' }),
  );
  const run = world.spawnPam(['run', file], { PAM_THREAD_FAULT: 'stage:evaluate=exit1' });
  assert.equal(await run.exited, 3, run.out());
  const logs = await world.pam(['logs', 'views-fail', 'evaluate']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /error \[evaluate\] attempt failed after [\d.]+ s: ThreadExitError: /);
  assert.match(logs.stderr, /failed attempt log attempt-\d{8}T\d{6}\.\d{3}Z-1\.log/);
});

test('pam list lists both experiments with status, config hash and headline; --json too; from the store alone', async () => {
  const list = await world.pam(['list']);
  assert.equal(list.code, 0, list.stderr);
  for (const name of ['views-a', 'views-b']) {
    assert.match(
      list.stdout,
      new RegExp(
        `^${name} +COMPLETED +\\d{4}-\\d\\d-\\d\\d [\\d:]+ +[0-9a-f]{12} +pam latent-cosine -?\\d\\.\\d{4} ± \\d\\.\\d{4} \\(higher is better\\) +server\\+store$`,
        'm',
      ),
    );
  }
  const json = JSON.parse((await world.pam(['list', '--json'])).stdout) as {
    experiment: string;
    configHash: string;
    headline: { metric: string; decoder: string; mean: number };
  }[];
  const a = json.find((e) => e.experiment === 'views-a')!;
  assert.match(a.configHash, /^[0-9a-f]{64}$/);
  assert.deepEqual([a.headline.decoder, a.headline.metric], ['pam', 'latent-cosine']);
  assert.match(list.stdout, /^views-fail +PARKED at evaluate /m);
  // No server at this address: what the store holds.
  const storeOnly = world.spawnPam(['list'], { TEMPORAL_ADDRESS: '', PAM_TEMPORAL_PORT: String(await freePort()) });
  assert.equal(await storeOnly.exited, 0, storeOnly.out());
  assert.match(storeOnly.stderr(), /^no Temporal server is reachable: listing what the store/);
  assert.match(storeOnly.stdout(), /^views-b +committed 3\/3 stages .* pam latent-cosine .* store$/m);
});

test('pam compare puts both runs side by side and lists the params that differ', async () => {
  const compare = await world.pam(['compare', 'views-a', 'views-b']);
  assert.equal(compare.code, 0, compare.stderr);
  assert.match(compare.stdout, /^metric +better +decoder +views-a +views-b$/m);
  assert.match(compare.stdout, /^latent-cosine +higher +pam +-?\d\.\d{4} ± \d\.\d{4}( \*)? +-?\d\.\d{4} ± \d\.\d{4}( \*)?$/m);
  assert.match(compare.stdout, /^seed +3 +4$/m);
  assert.match(compare.stdout, /^stages\.train\.params\.decoders\.baseline\.epochs +3 +4$/m);
  assert.doesNotMatch(compare.stdout, /^stages\.train\.params\.decoders\.pam\.epochs/m, 'an equal param is no difference');
  const json = JSON.parse((await world.pam(['compare', 'views-a', 'views-b', '--json'])).stdout) as {
    experiments: string[];
    rows: unknown[];
  };
  assert.deepEqual(json.experiments, ['views-a', 'views-b']);
  assert.ok(json.rows.length >= 2);
  const unknown = await world.pam(['compare', 'views-a', 'views-c']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^no experiment named "views-c" \(did you mean "views-a"\?\)/);
});

test('pam report --compare adds the comparison as a section of the report, a page of its own', async () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'pam-compare-report-')), 'r.html');
  const report = await world.pam(['report', 'views-a', '--compare', 'views-b', '--out', out]);
  assert.equal(report.code, 0, report.stderr);
  const page = readFileSync(out, 'utf8');
  const section = page.slice(
    page.indexOf('<section id="comparison">'),
    page.indexOf('</section>', page.indexOf('<section id="comparison">')),
  );
  assert.match(section, /<th>views-a<\/th><th>views-b<\/th>/);
  assert.match(section, /<tr data-metric="latent-cosine" data-decoder="pam">/);
  assert.match(
    section,
    /<code>stages\.train\.params\.decoders\.baseline\.epochs<\/code><\/td><td><code>3<\/code><\/td><td><code>4<\/code>/,
  );
  const plain = await world.pam(['report', 'views-a']);
  assert.doesNotMatch(readFileSync(plain.stdout.match(/^report: (\S+)/m)![1]!, 'utf8'), /<section id="comparison">/);
});
