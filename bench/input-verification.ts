/**
 * Benchmark: what verifying an input on open costs (src/store/artifact-input.ts hashes every file it reads against
 * the manifest's sha256). Commits a dataset through the real store, then reads every table of it twice: plainly
 * (readFileSync + Arrow decode, the reference) and through `openArtifactInput` (the same plus sha256).
 * Datasets: the demo's synthetic B2G world (pipelines/demo.yaml `data`) and the synthetic GOD world with the
 * paper's per-area common-space sizes (docs/datasets.md §B.5), scaled by `--scale` (default 1: about 1.2 GB).
 *
 *   node --import tsx bench/input-verification.ts [--scale 0.25]      (npm run bench -- input-verification)
 * The last line is `ratio: <plain read seconds / verified read seconds>` (1 would be free).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runner as synthesizeB2g } from '../src/stages/synthesize-b2g/runner.js';
import { spec as b2gSpec } from '../src/stages/synthesize-b2g/spec.js';
import { runner as synthesizeGod } from '../src/stages/synthesize-god/runner.js';
import { spec as godSpec } from '../src/stages/synthesize-god/spec.js';
import type { StageRunner } from '../src/stages/stage-definition.js';
import { openArtifactInput } from '../src/store/artifact-input.js';
import { tableFromFileBytes } from '../src/tables/arrow-tables.js';
import { sha256Hex } from '../src/util/canonical-json.js';
import { commitOutput, stageContext } from '../test/support/stage-context.js';

const GOD_VOXELS: Record<string, number> = { V1: 2521, V2: 2687, V3: 2058, V4: 1283, LOC: 2724, FFA: 2100, PPA: 900 };
const at = process.argv.indexOf('--scale');
const scale = at >= 0 ? Number(process.argv[at + 1]) : 1;

async function committed<P>(stage: string, runner: StageRunner<P>, params: P, seed: number): Promise<string> {
  const ctx = stageContext({ params, seed });
  const { summary } = await runner.run(ctx);
  return (await commitOutput(ctx, stage, summary)).dir;
}

/** Seconds `read` takes, best of three. */
function bestOf(read: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    read();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}

function measure(label: string, dir: string): { plain: number; verified: number } {
  const input = openArtifactInput(dir, { consumer: 'bench', role: 'dataset' });
  const files = input.tables.map((name) => path.join(dir, `${name}.arrow`));
  const megabytes = files.reduce((n, f) => n + readFileSync(f).length, 0) / 2 ** 20;
  const plain = bestOf(() => {
    for (const f of files) tableFromFileBytes(readFileSync(f), f);
  });
  const verified = bestOf(() => {
    for (const name of input.tables) input.readTable(name);
  });
  const buffers = files.map((f) => readFileSync(f));
  const hashing = bestOf(() => {
    for (const b of buffers) sha256Hex(b);
  });
  const ms = (seconds: number) => `${(seconds * 1e3).toFixed(0)} ms`;
  console.log(
    `${label}: ${input.tables.length} tables, ${megabytes.toFixed(1)} MB — plain read ${ms(plain)}, verified read ${ms(verified)}; ` +
      `sha256 alone ${ms(hashing)} (${(megabytes / hashing).toFixed(0)} MB/s)`,
  );
  rmSync(path.dirname(path.dirname(path.dirname(dir))), { recursive: true, force: true });
  return { plain, verified };
}

const demo = b2gSpec.params.parse({
  latentDim: 512,
  trainItems: 4000,
  testItems: 200,
  testRepetitions: 20,
  areas: [
    { name: 'V1', units: 448, informativeness: 0.05 },
    { name: 'V4', units: 256, informativeness: 0.25 },
    { name: 'IT', units: 256, informativeness: 0.75, nonlinearity: 'tanh' },
  ],
});
const god = godSpec.params.parse({
  areaVoxels: Object.fromEntries(Object.entries(GOD_VOXELS).map(([area, n]) => [area, Math.max(2, Math.round(n * scale))])),
});
const runs = [
  measure('demo (synthesize-b2g)', await committed('synthesize-b2g', synthesizeB2g, demo, 9)),
  measure(`GOD ×${scale} (synthesize-god)`, await committed('synthesize-god', synthesizeGod, god, 6)),
];
const total = (side: 'plain' | 'verified') => runs.reduce((s, r) => s + r[side], 0);
console.log(`ratio: ${(total('plain') / total('verified')).toFixed(3)}`);
