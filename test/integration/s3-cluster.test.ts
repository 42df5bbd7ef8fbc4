/**
 * Workers that share no disk, only an S3-compatible store (moto's server on loopback, test/support/s3-server.ts),
 * against a real dev server playing the cluster: two workers compute the branches of one experiment at once; a
 * third client's rerun is all cache hits; a client with nothing but the store prints the lineage; two experiments
 * committing the same keys at once share one artifact; a worker with wrong credentials stops with an error that
 * names the store and not the secret; a store that dies mid-upload costs one retried attempt.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExperimentResult, StageRow } from '../../src/contracts/stage-requests.js';
import type { ArtifactManifest } from '../../src/store/artifact-manifest.js';
import { ArtifactStore } from '../../src/store/artifact-store.js';
import { openS3ObjectStore } from '../../src/store/s3/s3-object-store.js';
import { SharedArtifacts } from '../../src/store/shared-artifacts.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startTestWorld, workerPolling, type TestWorld } from '../support/test-world.js';
import { dataTrainBranch, tinyPipeline } from './pipelines.js';

let world: TestWorld;
let s3: S3TestServer;
before(async () => {
  world = await startTestWorld();
  // Signatures checked: a worker holding another key is refused, as by a real store.
  s3 = await startS3Server({ auth: true });
});
after(async () => {
  await s3?.stop();
  await world?.stop();
});

const folder = (name: string): string => mkdtempSync(path.join(os.tmpdir(), `pam-${name}-`));
const storeEnv = (prefix: string): NodeJS.ProcessEnv => ({ ...s3.env, PAM_STORE: `s3://${s3.bucket}/${prefix}` });
const sharedOf = (prefix: string) =>
  new SharedArtifacts(
    openS3ObjectStore({ kind: 's3', uri: `s3://${s3.bucket}/${prefix}` }, { ...process.env, ...s3.env }),
    new ArtifactStore(folder('reader')),
  );

async function startWorkers(count: number, env: NodeJS.ProcessEnv, args: string[] = []) {
  const workers = Array.from({ length: count }, (_, i) => world.spawnPam(['worker', ...args], { ...env, PAM_HOME: folder(`host-${i}`) }));
  for (const w of workers) await workerPolling(w);
  return workers;
}

async function stopWorkers(workers: ReturnType<TestWorld['spawnPam']>[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

/** Two branches, `a` and `b`, each data → train, nothing shared between them (not even a key: their sizes differ). */
function twoBranches(experiment: string, seed: number): string {
  const branch = (name: string, trainItems: number) => dataTrainBranch(name, trainItems, 6);
  return `experiment: ${experiment}\nseed: ${seed}\nruntime: { heartbeatTimeoutSeconds: 10, maximumAttempts: 2 }\nstages:${branch('a', 512)}${branch('b', 480)}\n`;
}

async function resultRows(experiment: string): Promise<StageRow[]> {
  return ((await world.client.workflow.getHandle(`pam-experiment-${experiment}`).result()) as ExperimentResult).stages;
}

test('two workers, own state folders, one s3 store: the branches overlap, a third client reruns as cache hits, a fourth prints the lineage, a fifth finds the published report', async () => {
  const env = storeEnv('branches');
  const workers = await startWorkers(2, env, ['--max-stages', '1']);
  try {
    const pipeline = world.writePipeline('s3-branches.yaml', twoBranches('s3-branches', 61));
    const run = world.spawnPam(['run', pipeline, '--external-workers'], { ...env, PAM_HOME: folder('client-c') });
    assert.equal(await run.exited, 0, run.out());
    assert.match(run.stdout(), new RegExp(`artifacts \\(store s3://${s3.bucket}/branches\\)`));
    assert.match(run.stdout(), new RegExp(`train-a +s3://${s3.bucket}/branches/train/[0-9a-f]{64}/`));

    const shared = sharedOf('branches');
    const manifests = new Map<string, ArtifactManifest>();
    for (const row of await resultRows('s3-branches')) manifests.set(row.id, (await shared.manifest(row.uses, row.key!))!);
    const span = (id: string) =>
      [Date.parse(manifests.get(id)!.timings.startedAt), Date.parse(manifests.get(id)!.timings.finishedAt)] as const;
    const [a, b] = [span('train-a'), span('train-b')];
    assert.ok(a[0] < b[1] && b[0] < a[1], `train-a ${a.join('–')} and train-b ${b.join('–')} overlap`);
    const pids = new Set([...manifests.values()].map((m) => m.producer.pid));
    assert.deepEqual(
      [...pids].sort(),
      workers.map((w) => w.child.pid).sort(),
      `both workers computed:\n${workers.map((w) => w.out().slice(-3000)).join('\n---\n')}`,
    );

    const rerun = world.spawnPam(['run', pipeline, '--external-workers'], { ...env, PAM_HOME: folder('client-d') });
    assert.equal(await rerun.exited, 0, rerun.out());
    assert.match(rerun.stdout(), /completed: 4 stages \(4 cache hits, 0 computed\)/);

    const lineage = world.spawnPam(['lineage', 's3-branches'], { ...env, PAM_HOME: folder('client-e') });
    assert.equal(await lineage.exited, 0, lineage.out());
    for (const [id, manifest] of manifests) assert.match(lineage.stdout(), new RegExp(`${id}[\\s\\S]*${manifest.key.slice(0, 12)}`));
    assert.match(lineage.stdout(), new RegExp(`s3://${s3.bucket}/branches/`));

    // The rerun's report was published: a client with nothing but the store finds it there, not rendering it again.
    const rerunReport = /^report: \S+ \(in the store: (s3:\/\/\S+)\)$/m.exec(rerun.stdout());
    assert.ok(rerunReport, rerun.stdout());
    const reader = folder('client-f');
    const report = world.spawnPam(['report', 's3-branches'], { ...env, PAM_HOME: reader });
    assert.equal(await report.exited, 0, report.out());
    assert.ok(report.stdout().includes(`report: ${path.join(reader, 'store-cache', 'artifacts', 'report')}`), report.stdout());
    assert.ok(report.stdout().includes(`(in the store: ${rerunReport[1]})`), report.stdout());
  } finally {
    await stopWorkers(workers);
  }
});

test('two experiments committing the same keys at the same moment: one artifact per key, both runs succeed, nothing damaged', async () => {
  const env = storeEnv('race');
  const workers = await startWorkers(2, env, ['--max-stages', '2']);
  try {
    const runs = ['race-1', 'race-2'].map((name) =>
      world.spawnPam(['run', world.writePipeline(`${name}.yaml`, tinyPipeline(name, { seed: 62 })), '--external-workers'], {
        ...env,
        PAM_HOME: folder(name),
      }),
    );
    for (const run of runs) assert.equal(await run.exited, 0, run.out());
    const [first, second] = [await resultRows('race-1'), await resultRows('race-2')];
    assert.deepEqual(
      first.map((r) => r.key),
      second.map((r) => r.key),
      'the same keys',
    );
    const shared = sharedOf('race');
    for (const row of first) {
      const fetched = await shared.fetch(row.uses, row.key!);
      assert.equal(fetched.status, 'fetched', `${row.id}: ${JSON.stringify(fetched)}`);
    }
    const listed = await openS3ObjectStore({ kind: 's3', uri: `s3://${s3.bucket}/race` }, { ...process.env, ...s3.env }).list('');
    const stageManifests = listed.filter((k) => k.endsWith('/manifest.json') && !k.startsWith('report/'));
    assert.equal(stageManifests.length, first.length, 'one manifest per key');
    assert.equal(listed.filter((k) => /^report\/[0-9a-f]{64}\/manifest\.json$/.test(k)).length, 2, "each run's report, published");
    assert.equal(listed.filter((k) => k.startsWith('.quarantine/')).length, 0, 'nothing retracted');
  } finally {
    await stopWorkers(workers);
  }
});

test('the store goes down in the middle of an upload: the attempt fails as retryable and its retry commits once the store is back', async () => {
  const env = storeEnv('outage');
  const [worker] = await startWorkers(1, env);
  try {
    // Past the first lookups' requests, inside the data stage's publish (its tables are ~100 kB).
    const cut = s3.killAfterUpload(30_000);
    const pipeline = world.writePipeline(
      's3-outage.yaml',
      tinyPipeline('s3-outage', { seed: 63, runtime: '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 4 }' }),
    );
    const run = world.spawnPam(['run', pipeline, '--external-workers'], { ...env, PAM_HOME: folder('outage-client') });
    await cut;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await s3.restart();
    assert.equal(await run.exited, 0, `${run.out()}\n---\n${worker!.out().slice(-3000)}`);
    assert.match(worker!.out(), /(put|upload)[^\n]*failed[^\n]*the store is retried/, 'an attempt failed in an upload');
    const shared = sharedOf('outage');
    for (const row of await resultRows('s3-outage')) {
      const fetched = await shared.fetch(row.uses, row.key!);
      assert.equal(fetched.status, 'fetched', `${row.id}: ${JSON.stringify(fetched)}`);
    }
  } finally {
    await stopWorkers([worker!]);
  }
});

test('a worker with wrong credentials stops at once: the error names the store, never the secret', async () => {
  const secret = 'wrong-secret-0123456789abcdef';
  const worker = world.spawnPam(['worker'], {
    ...storeEnv('denied'),
    AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1',
    AWS_SECRET_ACCESS_KEY: secret,
    PAM_HOME: folder('denied'),
  });
  const code = await worker.exited;
  assert.notEqual(code, 0, worker.out());
  assert.match(worker.stderr(), new RegExp(`s3://${s3.bucket}/denied`));
  assert.doesNotMatch(worker.out(), new RegExp(secret));
  assert.doesNotMatch(worker.out(), /at .*\.ts:\d+/, 'no stack trace');
});
