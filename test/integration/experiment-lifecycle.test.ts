/**
 * The experiment lifecycle against a real Temporal dev server and the real stages (tiny sizes):
 * bad configs never start a workflow; a run completes and prints results + UI link; a rerun is all cache hits;
 * status/lineage report it; artifacts open in pyarrow; a truncated Arrow file is detected and recomputed; a
 * changed param reruns exactly the affected stages and says why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { launchChromium } from '../support/chromium.js';
import { referencePython } from '../../src/paths/project-paths.js';
import { tinyPipeline } from './pipelines.js';
import type { LineageNode } from '../../src/cli/lineage.js';

let world: TestWorld;
let pipeline: string;

before(async () => {
  world = await startTestWorld();
  pipeline = world.writePipeline('life.yaml', tinyPipeline('life'));
});
after(async () => world?.stop());

async function workflowCount(): Promise<number> {
  let n = 0;
  for await (const _ of world.client.workflow.list({ query: 'WorkflowType = "experiment"' })) n += 1;
  return n;
}

test('malformed configs and overrides are refused with a precise message and start nothing', async () => {
  const bad = world.writePipeline('bad.yaml', tinyPipeline('bad').replace('epochs: 3', 'epochs: three'));
  const result = await world.pam(['run', bad]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /bad\.yaml:\d+:\d+: stages\.train\.with\.decoders\.baseline\.epochs: expected .*found "three" \(string\)/);
  const override = await world.pam(['run', pipeline, '--set', 'runtime.maximumAttempts=lots']);
  assert.equal(override.code, 2);
  assert.match(override.stderr, /--set runtime\.maximumAttempts=lots: runtime\.maximumAttempts: expected/);
  assert.equal(await workflowCount(), 0);
});

test('a run completes: progress, results table, artifact folders, UI link', async () => {
  const result = await world.pam(['run', pipeline]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /config hash [0-9a-f]{64}/);
  assert.match(result.stdout, /completed: 3 stages \(0 cache hits, 3 computed\)/);
  assert.match(result.stdout, /latent-cosine\s+higher\s+baseline\s+-?0\.\d{4}\s+0\.\d{4}\s+32/);
  assert.ok(result.stdout.includes(`${world.uiUrl}/namespaces/default/workflows/pam-experiment-life`));
});

test('the same command again: every stage is a cache hit', async () => {
  const result = await world.pam(['run', pipeline]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /completed: 3 stages \(3 cache hits, 0 computed\)/);
});

test('status and lineage describe the experiment; lineage edges follow the cache keys', async () => {
  const status = await world.pam(['status', 'life']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /data\s+synthesize-b2g\s+cached\s+[0-9a-f]{16}/);
  assert.match(status.stdout, /Results/);
  const lineage = await world.pam(['lineage', 'life', '--json']);
  const nodes = JSON.parse(lineage.stdout) as LineageNode[];
  assert.deepEqual(
    nodes.map((n) => n.stageId),
    ['data', 'train', 'evaluate'],
  );
  const byId = Object.fromEntries(nodes.map((n) => [n.stageId, n]));
  assert.equal(byId['evaluate']!.inputs['dataset']!.key, byId['data']!.key);
  assert.equal(byId['evaluate']!.inputs['predictions']!.key, byId['train']!.key);
  assert.ok(
    byId['train']!.files.some((f) => f.path === 'predictions.arrow' && f.rows === 64),
    'two decoders × 32 test items',
  );
  assert.ok(
    byId['train']!.files.some((f) => f.path === 'attention.arrow' && f.rows === 32 * 3),
    'PAM attention: items × areas',
  );
  const text = await world.pam(['lineage', 'life']);
  assert.match(text.stdout, /train \(train v\d+, seed 3\) → [0-9a-f]{64}/);
});

test('every Arrow artifact opens in pyarrow with the row counts of its manifest', () => {
  const nodes = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'lineage', 'life', '--json'], {
      cwd: path.resolve('.'),
      env: world.env,
    }).toString(),
  ) as LineageNode[];
  const files = nodes.flatMap((n) =>
    n.files.filter((f) => f.path.endsWith('.arrow')).map((f) => ({ file: path.join(n.location, f.path), rows: f.rows })),
  );
  const script =
    'import sys, json, pyarrow.ipc as ipc\nfor f in json.loads(sys.argv[1]):\n    t = ipc.open_file(f["file"]).read_all()\n    assert t.num_rows == f["rows"], (f, t.num_rows)\n    t.to_pandas()\nprint("ok", len(json.loads(sys.argv[1])))';
  const out = execFileSync(referencePython(), ['-c', script, JSON.stringify(files)]).toString();
  assert.equal(out.trim(), `ok ${files.length}`);
});

test('a truncated Arrow file in a committed artifact is detected, reported and recomputed', async () => {
  const nodes = JSON.parse((await world.pam(['lineage', 'life', '--json'])).stdout) as LineageNode[];
  const train = nodes.find((n) => n.stageId === 'train')!;
  const file = path.join(train.location, 'predictions.arrow');
  const original = readFileSync(file);
  truncateSync(file, original.length - 100);
  const result = await world.pam(['run', pipeline]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /completed: 3 stages \(2 cache hits, 1 computed\)/);
  const status = await world.pam(['status', 'life']);
  assert.match(
    status.stdout,
    /train\s+train\s+done\s+[0-9a-f]{16}\s+recomputed: .*predictions\.arrow: \d+ bytes, manifest says \d+ \(truncated or altered\)/,
  );
  assert.deepEqual(readFileSync(file), original, 'recomputation is deterministic');
});

test('a changed param reruns the affected stages and status says why', async () => {
  const result = await world.pam(['run', pipeline, '--set', 'stages.train.with.decoders.baseline.epochs=4']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /completed: 3 stages \(1 cache hits, 2 computed\)/);
  const status = await world.pam(['status', 'life']);
  assert.match(status.stdout, /train\s+train\s+done\s+[0-9a-f]{16}\s+params\.decoders\.baseline\.epochs: 3 → 4/);
  assert.match(status.stdout, /evaluate\s+evaluate\s+done\s+[0-9a-f]{16}\s+input predictions [0-9a-f]{12} → [0-9a-f]{12}/);
});

test('the Temporal Web UI shows every stage with its artifact key (headless Chromium)', async () => {
  const nodes = JSON.parse((await world.pam(['lineage', 'life', '--json'])).stdout) as LineageNode[];
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 2000 } });
    await page.goto(`${world.uiUrl}/namespaces/default/workflows/pam-experiment-life`, { waitUntil: 'networkidle' });
    for (const node of nodes) {
      // Computed stages show their runStage summary, cached ones their cache-hit marker; both name the key.
      await page
        .getByText(new RegExp(`${node.stageId} \\(${node.stage}\\) .*→ artifact ${node.key}`))
        .first()
        .waitFor({ timeout: 30_000 });
    }
  } finally {
    await browser.close();
  }
});
