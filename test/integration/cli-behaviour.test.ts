/**
 * The CLI against a real dev server after one small experiment ran: unknown experiments are named with the ones the
 * server knows (exit 2), `pam retry` of an experiment that is not parked says so (exit 2), the dry run shows each
 * stage's rerun reason and honours --force, and a reader closing the pipe early (`| head`) is no error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { tinyPipeline } from './pipelines.js';

let world: TestWorld;
let file: string;
before(async () => {
  world = await startTestWorld();
  file = world.writePipeline('cli.yaml', tinyPipeline('clitiny'));
  const run = await world.pam(['run', file]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
});
after(async () => world?.stop());

test('an unknown experiment is "no experiment named X" with the known ones, exit 2, for status, lineage and retry', async () => {
  for (const command of ['status', 'lineage', 'retry']) {
    const far = await world.pam([command, 'nosuch']);
    assert.equal(far.code, 2, far.stderr);
    assert.equal(far.stderr.trim(), 'no experiment named "nosuch"; experiments on this server: clitiny');
  }
  const near = await world.pam(['status', 'clitniy']);
  assert.equal(near.code, 2);
  assert.match(near.stderr, /^no experiment named "clitniy" \(did you mean "clitiny"\?\); experiments on this server: clitiny/);
});

test('pam retry of a completed experiment says there is nothing to retry, exit 2', async () => {
  const result = await world.pam(['retry', 'clitiny']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^experiment clitiny is not parked on a failed stage \(workflow completed\): nothing to retry/);
});

/** The dry run's state column by stage id. */
async function planStates(...extra: string[]): Promise<Record<string, string>> {
  const result = await world.pam(['run', file, '--dry-run', ...extra]);
  assert.equal(result.code, 0, result.stderr);
  const rows = result.stdout.split('\n').filter((line) => /^(data|train|evaluate) /.test(line));
  return Object.fromEntries(rows.map((line) => [line.split(/\s+/)[0]!, /(cached|to compute.*)$/.exec(line)![1]!]));
}

test('the dry run shows each stage as cached or why it would compute: forced, or what changed in its key', async () => {
  assert.deepEqual(await planStates(), { data: 'cached', train: 'cached', evaluate: 'cached' });
  assert.deepEqual(await planStates('--force', 'train'), {
    data: 'cached',
    train: 'to compute (forced: --force)',
    evaluate: 'cached',
  });
  const changed = await planStates('--set', 'stages.train.with.decoders.baseline.epochs=4');
  assert.equal(changed['data'], 'cached');
  assert.equal(changed['train'], 'to compute (params.decoders.baseline.epochs: 3 → 4)');
  assert.match(changed['evaluate']!, /^to compute \(input predictions [0-9a-f]{12} → [0-9a-f]{12}\)$/);
});

test('pam status | head and pam lineage --json | head: a closed stdout ends quietly with exit 0', async () => {
  for (const args of [
    ['status', 'clitiny'],
    ['lineage', 'clitiny', '--json'],
  ]) {
    const run = world.spawnPam(args);
    run.child.stdout!.destroy();
    assert.equal(await run.exited, 0, run.stderr());
    assert.equal(run.stderr(), '');
  }
});
