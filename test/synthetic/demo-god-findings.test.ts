/**
 * The GOD demo's voxel selection selects (the paper's Table 1): on pipelines/demo-god.yaml's own world and its
 * hyperalignment and selection settings (read through the config loader, so this test cannot drift from the demo),
 * low-signal areas lose most of their voxels, the most informative area keeps most of its own, and PPA keeps none.
 * Item counts are the demo's; only the stages up to selection run (docs/synthetic-world.md §2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.js';
import { projectRoot } from '../../src/paths/project-paths.js';
import { stageCatalog } from '../../src/stages/catalog.js';
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import type { SynthesizeGodParams } from '../../src/stages/synthesize-god/spec.js';
import { readNumbers, readStrings } from '../../src/tables/arrow-tables.js';
import { commitOutput, stageContext } from '../support/stage-context.js';

test('demo-god.yaml: selection drops most voxels of a low-signal area, keeps most of the strongest, and all of PPA', async () => {
  const { config } = loadPipelineConfig(path.join(projectRoot(), 'pipelines', 'demo-god.yaml'));
  const outputs = new Map<string, ArtifactInput>();
  for (const stage of config.stages.filter((s) => ['synthesize-god', 'hyperalign', 'select-voxels'].includes(s.uses))) {
    const runner = await stageCatalog.get(stage.uses)!.loadRunner();
    const inputs = Object.fromEntries(Object.entries(stage.inputs).map(([role, from]) => [role, outputs.get(from)!]));
    const ctx = stageContext({ params: stage.params, seed: stage.seed, inputs, backend: config.runtime.backend });
    outputs.set(stage.id, await commitOutput(ctx, stage.uses, (await runner.run(ctx)).summary));
  }
  const world = config.stages.find((s) => s.uses === 'synthesize-god')!.params as SynthesizeGodParams;
  const counts = outputs.get(config.stages.find((s) => s.uses === 'select-voxels')!.id)!.readTable('voxel-counts');
  const areas = readStrings(counts, 'area');
  const [before, after] = [readNumbers(counts, 'voxels_before'), readNumbers(counts, 'voxels_after')];
  const kept = new Map(areas.map((area, a) => [area, after[a]! / before[a]!]));
  const shown = areas.map((area, a) => `${area} ${after[a]}/${before[a]}`).join(', ');

  for (const area of world.silentAreas) assert.equal(kept.get(area), 0, `${area} keeps no voxel: ${shown}`);
  const signalAreas = areas.filter((area) => !world.silentAreas.includes(area));
  assert.ok(
    signalAreas.every((area) => before[areas.indexOf(area)]! >= 100),
    `areas with signal have hundreds of voxels: ${shown}`,
  );
  const planted = areas
    .filter((area) => !world.silentAreas.includes(area))
    .map((area) => ({ area, amplitude: world.signalAmplitude[area] ?? 1 }));
  planted.sort((a, b) => a.amplitude - b.amplitude);
  const weakest = planted[0]!.area;
  const strongest = planted[planted.length - 1]!.area;
  assert.ok(kept.get(weakest)! < 0.5, `the lowest-signal area ${weakest} loses most voxels: ${shown}`);
  assert.ok(kept.get(strongest)! > 0.5, `the strongest area ${strongest} keeps most: ${shown}`);
});
