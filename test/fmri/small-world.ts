/** A small synthetic GOD world (and its hyperaligned dataset) shared by the stage tests; built once per process. */
import type { Table } from 'apache-arrow';
import { synthesizeGodParams } from '../../src/stages/synthesize-god/spec.js';
import { runner as synthesizeRunner } from '../../src/stages/synthesize-god/runner.js';
import { hyperalignParams } from '../../src/stages/hyperalign/spec.js';
import { runner as hyperalignRunner } from '../../src/stages/hyperalign/runner.js';
import { artifactOf, fakeContext } from './fake-context.js';

export const SMALL_WORLD = synthesizeGodParams.parse({
  areaVoxels: { V1: 36, V4: 24, PPA: 12 },
  trainImages: 600,
  trainRepetitions: 2,
  testImages: 20,
  testRepetitions: 4,
  latentDim: 8,
  trialNoise: 2,
});

let world: Map<string, Table> | null = null;
let aligned: Map<string, Table> | null = null;

export async function smallWorld(): Promise<Map<string, Table>> {
  if (!world) {
    const run = fakeContext(SMALL_WORLD, {}, { seed: 11 });
    await synthesizeRunner.run(run.ctx);
    world = run.tables;
  }
  return world;
}

export async function smallAligned(): Promise<Map<string, Table>> {
  if (!aligned) {
    const run = fakeContext(hyperalignParams.parse({}), { trials: artifactOf('synthesize-god', await smallWorld()) });
    await hyperalignRunner.run(run.ctx);
    aligned = run.tables;
  }
  return aligned;
}
