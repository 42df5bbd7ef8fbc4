/**
 * Benchmark: scale-out. An experiment of four independent branches, each a small synthesize-b2g stage held 4 s in
 * its compute thread (PAM_THREAD_FAULT `sleep4000`, src/threads/thread-faults.ts: a stage waiting on a disk, a
 * network or a GPU, so that the two cores of a CI machine do not cap what is measured), run by 1, 2 and 4 external
 * workers (`pam worker --max-stages 1`, each with its own state folder, one store) against a dev server. The
 * reference is perfect scaling: 4 workers 4× faster than one. Then what the shared store costs per artifact: the
 * commit and the cache lookup of a 4 MiB artifact in an `fs` store and in an `s3` store (moto on loopback,
 * src/store/shared-artifacts.ts).
 *
 *   node --import tsx bench/scale.ts            (npm run bench -- scale)
 * The last line is `ratio: <speedup with 4 workers / 4>` (1 is perfect scaling).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tsToMs } from '@temporalio/common/lib/time.js';
import os from 'node:os';
import path from 'node:path';
import { ArtifactStore } from '../src/store/artifact-store.js';
import { lookUpArtifact } from '../src/store/artifact-lookup.js';
import { SharedArtifacts } from '../src/store/shared-artifacts.js';
import { openS3ObjectStore } from '../src/store/s3/s3-object-store.js';
import { startS3Server } from '../test/support/s3-server.js';
import { startTestWorld, waitFor, type TestWorld } from '../test/support/test-world.js';

const BRANCHES = 4;
const HOLD_MS = 4000;

function fourBranches(experiment: string, seed: number): string {
  const branch = (i: number) => `
  data-${i}:
    uses: synthesize-b2g
    with:
      latentDim: 8
      trainItems: ${64 + i}
      testItems: 8
      testRepetitions: 2
      mixDims: 2
      areas: [{ name: V1, units: 8, informativeness: 0.5 }]`;
  return `experiment: ${experiment}\nseed: ${seed}\nruntime: { maxParallelStages: ${BRANCHES} }\nstages:${Array.from({ length: BRANCHES }, (_, i) => branch(i)).join('')}\n`;
}

/** Seconds `pam run --external-workers` takes with `workers` workers already polling. */
async function timedRun(world: TestWorld, workers: number, seed: number): Promise<{ seconds: number; span: number }> {
  const store = mkdtempSync(path.join(os.tmpdir(), 'pam-bench-store-'));
  const env = { PAM_STORE: store, PAM_THREAD_FAULT: `stage:synthesize-b2g=sleep${HOLD_MS}` };
  const started = Array.from({ length: workers }, (_, i) =>
    world.spawnPam(['worker', '--max-stages', '1'], { ...env, PAM_HOME: mkdtempSync(path.join(os.tmpdir(), `pam-bench-w${i}-`)) }),
  );
  try {
    for (const w of started)
      await waitFor('a worker polling', async () => (w.out().includes('pam worker polling queue') ? true : undefined), 60_000);
    const name = `scale-${workers}`;
    const t0 = performance.now();
    const run = world.spawnPam(['run', world.writePipeline(`${name}.yaml`, fourBranches(name, seed)), '--external-workers'], {
      ...env,
      PAM_HOME: mkdtempSync(path.join(os.tmpdir(), 'pam-bench-client-')),
    });
    const code = await run.exited;
    if (code !== 0) throw new Error(`pam run with ${workers} workers exited ${code}:\n${run.out()}`);
    const seconds = (performance.now() - t0) / 1000;
    const spans = readdirSync(path.join(store, 'artifacts', 'synthesize-b2g')).map((key) => {
      const { timings, producer } = new ArtifactStore(store).readManifest('synthesize-b2g', key);
      return { start: Date.parse(timings.startedAt), end: Date.parse(timings.finishedAt), pid: producer.pid };
    });
    const atOnce = Math.max(...spans.map((a) => spans.filter((b) => b.start <= a.start && a.start < b.end).length));
    const overhead = await orchestrationMs(world, `pam-experiment-${name}`);
    const span = (Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start))) / 1000;
    const on = new Set(spans.map((s) => s.pid)).size;
    console.log(
      `${workers} worker(s): ${seconds.toFixed(1)} s for the run, ${span.toFixed(1)} s from the first stage's start to the last one's end; ${spans.length} stages on ${on} worker(s), at most ${atOnce} at once; per stage ${overhead.lookupMs.toFixed(0)} ms for its lookup, ${overhead.gapMs.toFixed(0)} ms from the lookup's answer to the compute's start`,
    );
    return { seconds, span };
  } finally {
    for (const w of started) w.child.kill('SIGTERM');
    await Promise.all(started.map((w) => w.exited));
    rmSync(store, { recursive: true, force: true });
  }
}

/**
 * Orchestration per stage, from the workflow history: the cache lookup (resolveStageKey scheduled → completed)
 * and the gap from its answer to the compute activity's start (workflow task, scheduling, a worker's poll).
 * Activities are paired by their summary, which starts with the stage id.
 */
async function orchestrationMs(world: TestWorld, workflowId: string): Promise<{ lookupMs: number; gapMs: number }> {
  const events = (await world.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const at = (e: (typeof events)[number]) => tsToMs(e.eventTime);
  const scheduled = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [String(e.eventId), e]));
  const stageOf = (e: (typeof events)[number]) => {
    const data = e.userMetadata?.summary?.data;
    return data ? (JSON.parse(Buffer.from(data).toString()) as string).split(/[: ]/)[0]! : '?';
  };
  const lookups = new Map<string, { asked: number; answered: number }>();
  const gaps: number[] = [];
  for (const e of events) {
    const done = e.activityTaskCompletedEventAttributes;
    const started = e.activityTaskStartedEventAttributes;
    const from = scheduled.get(String((done ?? started)?.scheduledEventId));
    if (!from) continue;
    const type = from.activityTaskScheduledEventAttributes!.activityType?.name;
    if (done && type === 'resolveStageKey') lookups.set(stageOf(from), { asked: at(from), answered: at(e) });
    const lookup = lookups.get(stageOf(from));
    if (started && type === 'runStage' && lookup) gaps.push(at(e) - lookup.answered);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { lookupMs: mean([...lookups.values()].map((l) => l.answered - l.asked)), gapMs: mean(gaps) };
}

/** Median milliseconds of `repeats` runs of `work`. */
async function medianMs(repeats: number, work: (i: number) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await work(i);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

/** Commit and lookup costs of one 4 MiB artifact (two files), `fs` against `s3`. */
async function storeCosts(): Promise<void> {
  const s3 = await startS3Server();
  const bytes = new Uint8Array(4 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const keyParts = (i: number) => ({ stage: 'bench', codeVersion: '1', params: { i }, inputKeys: {}, seed: i });
  const committed = async (store: ArtifactStore, i: number) => {
    const staging = store.createStaging('bench', `k${i}`);
    staging.writeFile('a.bin', bytes.subarray(0, 3 << 20));
    staging.writeFile('b.bin', bytes.subarray(3 << 20));
    const producer = { host: 'bench', pid: 0, nodeVersion: process.version };
    return store.commit(staging, { keyParts: keyParts(i), inputs: {}, summary: {}, startedAt: new Date(), producer });
  };
  try {
    const fsStore = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-bench-fs-')));
    const remote = openS3ObjectStore({ kind: 's3', uri: `s3://${s3.bucket}/bench` }, { ...process.env, ...s3.env });
    const writer = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-bench-s3w-')));
    const reader = new ArtifactStore(mkdtempSync(path.join(os.tmpdir(), 'pam-bench-s3r-')));
    const side = (local: ArtifactStore) => ({ artifacts: new SharedArtifacts(remote, local), cacheLimitBytes: 2 ** 40 });
    const warn = () => undefined;
    const repeats = 7;
    const keysFs: string[] = [];
    const keysS3: string[] = [];
    const fsCommit = await medianMs(repeats, async (i) => void keysFs.push((await committed(fsStore, i)).manifest.key));
    const s3Commit = await medianMs(repeats, async (i) => {
      const { manifest, dir } = await committed(writer, i);
      await side(writer).artifacts.publish(manifest, dir);
      keysS3.push(manifest.key);
    });
    const fsHit = await medianMs(repeats, async (i) => void (await lookUpArtifact(fsStore, undefined, 'bench', keysFs[i]!, warn)));
    const s3Cold = await medianMs(repeats, async (i) => void (await lookUpArtifact(reader, side(reader), 'bench', keysS3[i]!, warn)));
    const s3Warm = await medianMs(repeats, async (i) => void (await lookUpArtifact(reader, side(reader), 'bench', keysS3[i]!, warn)));
    console.log(`store costs, one 4 MiB artifact of 2 files (median of ${repeats}):`);
    console.log(`  commit:            fs ${fsCommit.toFixed(1)} ms   s3 ${s3Commit.toFixed(1)} ms (local commit + upload, manifest last)`);
    console.log(`  lookup, cached:    fs ${fsHit.toFixed(1)} ms   s3 ${s3Warm.toFixed(1)} ms (verify the local copy + one manifest GET)`);
    console.log(`  lookup, not local: s3 ${s3Cold.toFixed(1)} ms (download + verify into the local cache)`);
  } finally {
    await s3.stop();
  }
}

const world = await startTestWorld();
try {
  console.log(`${BRANCHES} independent branches, each one stage held ${HOLD_MS / 1000} s:`);
  const runs = new Map<number, { seconds: number; span: number }>();
  for (const [i, workers] of [1, 2, 4].entries()) runs.set(workers, await timedRun(world, workers, 70 + i));
  await storeCosts();
  const [one, two, four] = [runs.get(1)!, runs.get(2)!, runs.get(4)!];
  const speedup = one.seconds / four.seconds;
  console.log(
    `speedup of the run with 4 workers: ${speedup.toFixed(2)}× (2 workers: ${(one.seconds / two.seconds).toFixed(2)}×); of the stages' span: ` +
      `${(one.span / four.span).toFixed(2)}× (2 workers: ${(one.span / two.span).toFixed(2)}×); perfect: 4× (2×)`,
  );
  console.log(`ratio: ${(speedup / 4).toFixed(3)}`);
} finally {
  await world.stop();
}
