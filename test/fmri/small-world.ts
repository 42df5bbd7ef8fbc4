/**
 * A small synthetic GOD world (and its hyperaligned dataset) shared by the stage tests, each a committed artifact;
 * built once per process.
 */
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import { synthesizeGodParams } from '../../src/stages/synthesize-god/spec.js';
import { runner as synthesizeRunner } from '../../src/stages/synthesize-god/runner.js';
import { hyperalignParams } from '../../src/stages/hyperalign/spec.js';
import { runner as hyperalignRunner } from '../../src/stages/hyperalign/runner.js';
import { commitOutput, stageContext } from '../support/stage-context.js';

export const SMALL_WORLD = synthesizeGodParams.parse({
  areaVoxels: { V1: 36, V4: 24, PPA: 12 },
  trainImages: 600,
  trainRepetitions: 2,
  testImages: 20,
  testRepetitions: 4,
  latentDim: 8,
  trialNoise: 2,
});

let world: ArtifactInput | null = null;
let aligned: ArtifactInput | null = null;

export async function smallWorld(): Promise<ArtifactInput> {
  if (!world) {
    const run = stageContext({ params: SMALL_WORLD, seed: 11 });
    world = await commitOutput(run, 'synthesize-god', (await synthesizeRunner.run(run)).summary);
  }
  return world;
}

export async function smallAligned(): Promise<ArtifactInput> {
  if (!aligned) {
    const run = stageContext({ params: hyperalignParams.parse({}), inputs: { trials: await smallWorld() } });
    aligned = await commitOutput(run, 'hyperalign', (await hyperalignRunner.run(run)).summary);
  }
  return aligned;
}
