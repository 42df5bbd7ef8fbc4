/**
 * Probe: synthesize-god → hyperalign → select-voxels with the stage runners, printing Table 1 and timings.
 * Usage: node --import tsx scripts/god-selection-probe.ts '<json>'   (json: { world, select, seed })
 */
import { runner as hyperalignRunner } from '../src/stages/hyperalign/runner.js';
import { hyperalignParams } from '../src/stages/hyperalign/spec.js';
import { runner as selectRunner } from '../src/stages/select-voxels/runner.js';
import { selectVoxelsParams } from '../src/stages/select-voxels/spec.js';
import { runner as synthesizeRunner } from '../src/stages/synthesize-god/runner.js';
import { synthesizeGodParams } from '../src/stages/synthesize-god/spec.js';
import { readNumbers, readStrings } from '../src/tables/arrow-tables.js';
import { commitOutput, stageContext } from '../test/support/stage-context.js';

const args = JSON.parse(process.argv[2] ?? '{}');
const t0 = Date.now();
const lap = (what: string) => console.log(`${what} done at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const synth = stageContext({ params: synthesizeGodParams.parse(args.world ?? {}), seed: args.seed ?? 6 });
const world = await commitOutput(synth, 'synthesize-god', (await synthesizeRunner.run(synth)).summary);
lap('synthesize-god');
const align = stageContext({ params: hyperalignParams.parse({ writeMappers: false }), inputs: { trials: world } });
const aligned = await commitOutput(align, 'hyperalign', (await hyperalignRunner.run(align)).summary);
lap('hyperalign');
const select = stageContext({ params: selectVoxelsParams.parse(args.select ?? {}), inputs: { dataset: aligned } });
const selected = await commitOutput(select, 'select-voxels', (await selectRunner.run(select)).summary);
lap('select-voxels');
const counts = selected.readTable('voxel-counts');
const before = readNumbers(counts, 'voxels_before');
const after = readNumbers(counts, 'voxels_after');
for (const [a, area] of readStrings(counts, 'area').entries()) {
  const share = ((100 * after[a]!) / before[a]!).toFixed(0);
  console.log(`${area.padEnd(4)} ${String(before[a]).padStart(5)} → ${String(after[a]).padStart(5)} (${share} %)`);
}
