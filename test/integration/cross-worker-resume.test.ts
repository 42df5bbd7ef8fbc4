/**
 * A worker SIGKILLed mid-training on one host; the retry runs on another host with its own state folder and
 * resumes from the killed worker's last checkpoint, read from the store they share — an `fs` root both mount, or
 * an s3 store (moto on loopback) — not from zero.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';
import type { ArtifactManifest } from '../../src/store/artifact-manifest.js';
import { ArtifactStore } from '../../src/store/artifact-store.js';
import { openS3ObjectStore } from '../../src/store/s3/s3-object-store.js';
import { SharedArtifacts } from '../../src/store/shared-artifacts.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startTestWorld, waitFor, workerPolling, type TestWorld } from '../support/test-world.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
let s3: S3TestServer;
before(async () => {
  world = await startTestWorld();
  s3 = await startS3Server();
});
after(async () => {
  await s3?.stop();
  await world?.stop();
});

const folder = (name: string): string => mkdtempSync(path.join(os.tmpdir(), `pam-${name}-`));

interface SharedStoreUnderTest {
  env: NodeJS.ProcessEnv;
  /** The newest baseline epoch whose checkpoint is complete in the store (0 when none). */
  checkpointedEpoch(): Promise<number>;
  manifest(stage: string, key: string): Promise<ArtifactManifest>;
}

function newestEpoch(paths: readonly string[]): number {
  return Math.max(0, ...paths.flatMap((p) => /baseline\/epoch-(\d+)\/checkpoint\.json$/.exec(p)?.[1] ?? []).map(Number));
}

function fsStore(): SharedStoreUnderTest {
  const root = folder('shared-root');
  const store = new ArtifactStore(root);
  return {
    env: { PAM_STORE: root },
    async checkpointedEpoch() {
      const partial = path.join(root, 'partial', 'train');
      if (!existsSync(partial)) return 0;
      const files = readdirSync(partial, { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/'));
      return newestEpoch(files);
    },
    manifest: async (stage, key) => store.readManifest(stage, key),
  };
}

function s3Store(): SharedStoreUnderTest {
  const uri = `s3://${s3.bucket}/resume`;
  const remote = openS3ObjectStore({ kind: 's3', uri }, { ...process.env, ...s3.env });
  const shared = new SharedArtifacts(remote, new ArtifactStore(folder('reader')));
  return {
    env: { ...s3.env, PAM_STORE: uri },
    checkpointedEpoch: async () => newestEpoch(await remote.list('partial/train/')),
    manifest: async (stage, key) => (await shared.manifest(stage, key))!,
  };
}

async function killedMidTrainingResumesElsewhere(name: string, store: SharedStoreUnderTest, seed: number): Promise<void> {
  const pipeline = world.writePipeline(
    `${name}.yaml`,
    tinyPipeline(name, { seed, trainItems: 2048, decoders: '{ baseline: { epochs: 12 } }' }),
  );
  const hostA = world.spawnPam(['worker'], { ...store.env, PAM_HOME: folder('host-a') });
  await workerPolling(hostA, 'worker A polling');
  const run = world.spawnPam(['run', pipeline, '--external-workers'], { ...store.env, PAM_HOME: folder('client') });
  const killedAt = await waitFor('a checkpoint of epoch ≥ 3 in the store', async () => {
    const epoch = await store.checkpointedEpoch();
    return epoch >= 3 ? epoch : undefined;
  });
  hostA.child.kill('SIGKILL');
  await hostA.exited;
  const hostB = world.spawnPam(['worker'], { ...store.env, PAM_HOME: folder('host-b') });
  try {
    assert.equal(await run.exited, 0, `${run.out()}\nworker B:\n${hostB.out()}`);
    const rows = ((await world.client.workflow.getHandle(`pam-experiment-${name}`).result()) as ExperimentResult).stages;
    const train = rows.find((r) => r.id === 'train')!;
    const manifest = await store.manifest(train.uses, train.key!);
    assert.equal(manifest.producer.pid, hostB.child.pid, 'train committed by worker B');
    const resumed = manifest.summary['baseline.resumedFromEpoch'] as number;
    assert.ok(resumed >= killedAt, `B resumed from epoch ${resumed}; A had checkpointed epoch ${killedAt} to the store`);
  } finally {
    hostB.child.kill('SIGTERM');
    await hostB.exited;
  }
}

test('shared fs root: worker B resumes from worker A’s last checkpoint', async () => {
  await killedMidTrainingResumesElsewhere('resume-fs', fsStore(), 63);
});

test('s3 store: worker B resumes from worker A’s last checkpoint, read from the store', async () => {
  await killedMidTrainingResumesElsewhere('resume-s3', s3Store(), 64);
});
