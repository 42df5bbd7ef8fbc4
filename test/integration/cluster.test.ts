/**
 * The pipeline past one machine, against a real dev server playing the cluster: a fresh namespace is refused with
 * the setup hint until `pam cluster setup`; workers with their own state folders share one `fs` store
 * (PAM_STORE) and no other disk; a stage routed to queue `gpu` runs only on the worker polling it; a client that
 * sees only the store prints the lineage and reruns the experiment as cache hits.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';
import { MANIFEST_FILE, type ArtifactManifest } from '../../src/store/artifact-manifest.js';
import { durationFromMs, durationToMs } from '../../src/temporal/proto-values.js';
import { startTestWorld, workerPolling, type TestWorld } from '../support/test-world.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
before(async () => {
  world = await startTestWorld();
});
after(async () => world?.stop());

const folder = (name: string): string => mkdtempSync(path.join(os.tmpdir(), `pam-${name}-`));

test('a fresh namespace: `pam run` names `pam cluster setup` (exit 2); after it, the run completes and retention is set', async () => {
  await world.client.workflowService.registerNamespace({ namespace: 'lab', workflowExecutionRetentionPeriod: durationFromMs(86_400_000) });
  const env = { TEMPORAL_NAMESPACE: 'lab', PAM_HOME: folder('lab-home') };
  const pipeline = world.writePipeline('lab.yaml', tinyPipeline('lab', { seed: 51 }));
  // A namespace just registered may take the server a few seconds to serve.
  let refused = await world.spawnPam(['run', pipeline], env);
  for (let i = 0; i < 20 && !/lacks the search attributes/.test(refused.out()); i++) {
    await refused.exited;
    await new Promise((resolve) => setTimeout(resolve, 500));
    refused = world.spawnPam(['run', pipeline], env);
  }
  assert.equal(await refused.exited, 2, refused.out());
  assert.match(
    refused.stderr(),
    /namespace lab .* lacks the search attributes PamExperiment, PamDataset, PamConfigHash, PamBlockedStage.*pam cluster setup/,
  );
  assert.doesNotMatch(refused.out(), /at .*\.ts:\d+/, 'no stack trace');

  const setup = world.spawnPam(['cluster', 'setup', '--retention', '30d'], env);
  assert.equal(await setup.exited, 0, setup.out());
  assert.match(setup.stdout(), /namespace lab at .*: registered PamExperiment, PamDataset, PamConfigHash, PamBlockedStage; retention 30d/);
  const again = world.spawnPam(['cluster', 'setup', '--retention', '30d'], env);
  assert.equal(await again.exited, 0, again.out());
  assert.match(again.stdout(), /already registered/);
  const described = await world.client.workflowService.describeNamespace({ namespace: 'lab' });
  assert.equal(durationToMs(described.config?.workflowExecutionRetentionTtl), 30 * 86_400_000);

  const run = world.spawnPam(['run', pipeline], env);
  assert.equal(await run.exited, 0, run.out());
});

test('two workers, own state folders, one shared fs store: gpu stages on the gpu worker, lineage and cache hits from a third client', async () => {
  const store = folder('shared-store');
  const cpu = world.spawnPam(['worker'], { PAM_HOME: folder('host-a'), PAM_STORE: store });
  const gpu = world.spawnPam(['worker', '--queue', 'gpu'], { PAM_HOME: folder('host-b'), PAM_STORE: store });
  try {
    // Both polling before the run starts, so its first look at the queues (after 3 s) sees them.
    for (const w of [cpu, gpu]) await workerPolling(w);
    // The gpu queue trains on wasm here: this machine has no GPU, and the routing is what is tested.
    const yaml = tinyPipeline('routed', {
      seed: 52,
      runtime: '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 2, queues: { backends: { gpu: wasm } } }',
    }).replace('    uses: train\n', '    uses: train\n    queue: gpu\n');
    const client = { PAM_HOME: folder('host-c'), PAM_STORE: store };
    const run = world.spawnPam(['run', world.writePipeline('routed.yaml', yaml), '--external-workers'], client);
    assert.equal(await run.exited, 0, run.out());
    const stages = ((await world.client.workflow.getHandle('pam-experiment-routed').result()) as ExperimentResult).stages;
    for (const stage of stages) {
      const manifest = JSON.parse(
        readFileSync(path.join(store, 'artifacts', stage.uses, stage.key!, MANIFEST_FILE), 'utf8'),
      ) as ArtifactManifest;
      assert.equal(
        manifest.producer.pid,
        (stage.id === 'train' ? gpu : cpu).child.pid,
        `${stage.id} computed by the ${stage.id === 'train' ? 'gpu' : 'cpu'} worker`,
      );
    }
    assert.match(run.stdout(), new RegExp(`artifacts \\(store ${store}\\)`));
    assert.match(run.stdout(), /queue gpu \(task queue pam-pipeline-gpu\) is polled by \d+@/);
    assert.match(run.stdout(), /queue cpu \(task queue pam-pipeline\) is polled by \d+@/);

    const lineage = world.spawnPam(['lineage', 'routed'], client);
    assert.equal(await lineage.exited, 0, lineage.out());
    assert.match(lineage.stdout(), /^train \(train v\d+, seed 52\) → [0-9a-f]{64}$/m);
    assert.match(lineage.stdout(), /dataset ← data/);

    const rerun = world.spawnPam(['run', world.writePipeline('routed.yaml', yaml), '--external-workers'], client);
    assert.equal(await rerun.exited, 0, rerun.out());
    assert.match(rerun.stdout(), /completed: 3 stages \(3 cache hits, 0 computed\)/);
  } finally {
    for (const worker of [cpu, gpu]) worker.child.kill('SIGTERM');
    await Promise.all([cpu.exited, gpu.exited]);
  }
});

test('`pam run --external-workers` with no worker polling says so within seconds, naming the command to start', async () => {
  const yaml = tinyPipeline('unpolled', { seed: 53 }).replace('    uses: train\n', '    uses: train\n    queue: gpu\n');
  // In namespace lab (set up by the first test): the default namespace's queues remember the earlier tests' workers.
  const run = world.spawnPam(['run', world.writePipeline('unpolled.yaml', yaml), '--external-workers'], {
    PAM_HOME: folder('unpolled'),
    TEMPORAL_NAMESPACE: 'lab',
  });
  const started = Date.now();
  while (!/no worker polls queue gpu/.test(run.out()) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 200));
  run.child.kill('SIGTERM');
  await run.exited;
  assert.match(run.out(), /no worker polls queue cpu \(task queue pam-pipeline\): its stages wait until one runs `pam worker`/);
  assert.match(
    run.out(),
    /no worker polls queue gpu \(task queue pam-pipeline-gpu\): its stages wait until one runs `pam worker --queue gpu`/,
  );
  assert.ok(Date.now() - started < 15_000, `said within ${Date.now() - started} ms`);
  const lab = new Client({ connection: world.client.connection, namespace: 'lab' });
  await lab.workflow.getHandle('pam-experiment-unpolled').terminate('test over');
});

test('`pam run --with-worker` joins the shared queue itself: with no other worker it computes the experiment', async () => {
  const run = world.spawnPam(['run', world.writePipeline('joined.yaml', tinyPipeline('joined', { seed: 54 })), '--with-worker'], {
    PAM_HOME: folder('joined'),
  });
  assert.equal(await run.exited, 0, run.out());
  assert.match(run.stdout(), new RegExp(`queue cpu \\(task queue pam-pipeline\\) is polled by [^\\n]*\\b${run.child.pid}@`));
  const both = await world.pam(['run', world.writePipeline('both.yaml', tinyPipeline('both')), '--with-worker', '--external-workers']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--with-worker and --external-workers exclude each other/);
});
