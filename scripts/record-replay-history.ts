/**
 * Record event histories of small real experiments for the replay test (test/replay/), one per workflow path:
 * every stage computed, every stage cached, a sharded stage (fan-out + merge), a stage parked on a
 * non-retryable failure then resumed by the `retryStage` update (which re-resolves the stages before it), and a
 * dataset damaged while `train` runs, so `evaluate` fails on it and `data` is recomputed. Run it again whenever the
 * workflow changes on purpose, keeping older histories while runs recorded with them may still be replayed; name
 * scenarios to record only those (default: all):
 *   node --import tsx scripts/record-replay-history.ts test/replay/histories/<prefix> [computed cached sharded parked-retried damaged-recomputed]
 */
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot, temporalBinary } from '../src/paths/project-paths.js';
import { damageWhileTraining } from '../test/support/damage.js';
import { startTestWorld, type TestWorld } from '../test/support/test-world.js';
import { startFigshareLookalike } from '../test/support/figshare-lookalike.js';
import { fixtureFiles } from '../test/data/figshare/helpers.js';
import { workflowIdOf } from '../src/temporal/experiment-client.js';

const [out, ...only] = process.argv.slice(2);
if (!out) throw new Error('usage: record-replay-history.ts <output prefix> [scenario...]');
const wanted = (scenario: string): boolean => only.length === 0 || only.includes(scenario);

async function pam(world: TestWorld, args: string[], expectedCode = 0): Promise<void> {
  const result = await world.pam(args);
  if (result.code !== expectedCode) throw new Error(`pam ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
}

/** The CLI's JSON is the history format the UI downloads and `Worker.runReplayHistory` reads. */
function save(world: TestWorld, experiment: string, name: string): void {
  const json = execFileSync(temporalBinary(), [
    'workflow',
    'show',
    '--workflow-id',
    workflowIdOf(experiment),
    '--output',
    'json',
    '--address',
    world.address,
  ]);
  const file = `${out}-${name}.json`;
  // Failure stack traces name this checkout's folder; the history is committed, so keep only repo-relative paths.
  const text = json.toString().replaceAll(`${projectRoot()}/`, '');
  writeFileSync(file, text);
  console.log(`wrote ${file} (${(JSON.parse(text) as { events: unknown[] }).events.length} events)`);
}

const world = await startTestWorld();
const lookalike = await startFigshareLookalike({ files: fixtureFiles(), articleId: 4242 });
try {
  if (wanted('computed') || wanted('cached')) await pam(world, ['run', 'test/replay/replay-fixture.yaml']);
  if (wanted('computed')) save(world, 'replay', 'computed');
  if (wanted('cached')) {
    await pam(world, ['run', 'test/replay/replay-fixture.yaml']);
    save(world, 'replay', 'cached');
  }
  if (wanted('sharded')) {
    await pam(world, ['run', 'test/replay/replay-sharded.yaml']);
    save(world, 'replay-sharded', 'sharded');
  }
  if (wanted('damaged-recomputed')) {
    const run = world.spawnPam(['run', 'test/replay/replay-damaged.yaml']);
    await damageWhileTraining(world, 'replay-damaged', 'data', 'test.arrow');
    if ((await run.exited) !== 0) throw new Error(`pam run test/replay/replay-damaged.yaml failed:\n${run.out()}`);
    save(world, 'replay-damaged', 'damaged-recomputed');
  }

  if (wanted('parked-retried')) {
    const manifest = path.join(world.home, 'manifest.yaml');
    const manifestFor = (name: string) =>
      `dataset: b2g\narticle: { id: 4242 }\nfiles:\n  - { role: mua, match: [${name}], loader: b2g-mua }\n  - { role: latents, match: [StyleGAN_XL_w.pickle], loader: b2g-latents }\n`;
    writeFileSync(manifest, manifestFor('missing.mat'));
    const pipeline = world.writePipeline(
      'parked.yaml',
      `experiment: replay-parked\nseed: 1\nstages:\n  fetch:\n    uses: download\n    with: { manifest: ${manifest}, apiBaseUrl: "${lookalike.apiBaseUrl}", allowedHosts: ["${lookalike.storageHost}"], requestsPerSecond: 10 }\n  data:\n    uses: load-b2g\n    inputs: { download: fetch }\n`,
    );
    await pam(world, ['run', pipeline], 3);
    writeFileSync(manifest, manifestFor('StyleGAN_XL_MUA.mat'));
    await pam(world, ['retry', 'replay-parked']);
    save(world, 'replay-parked', 'parked-retried');
  }
} finally {
  await lookalike.close();
  await world.stop();
}
