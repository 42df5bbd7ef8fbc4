/**
 * The train stage's plan-time memory estimate (src/stages/train/plan.ts) against the peak it really reaches: a small
 * real run in a fresh process (test/support/measure-stage-memory.ts: maxRSS over the RSS before the run, decoder
 * threads included), once dominated by the model (PAM, width 512, both decoders in their threads) and once by the
 * data (4,200 items × 3,000 units, the baseline in the stage's own thread). Within 2× either way.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { specOf } from '../../src/engine/stage-key-parts.js';
import { formatBytes, totalBytes } from '../../src/stages/stage-plan.js';
import { datasetInput, tinyDataset } from '../support/dataset-tables.js';

const run = promisify(execFile);

interface Shape {
  train: number;
  test: number;
  units: number;
  latentDim: number;
}

const AREAS = ['V1', 'V4', 'IT'];

/** The plan's view of such a dataset: what synthesize-b2g's estimate says it produces. */
function plannedDataset(shape: Shape) {
  const world = specOf('synthesize-b2g').params.parse({
    trainItems: shape.train,
    testItems: shape.test,
    latentDim: shape.latentDim,
    mixDims: Math.min(4, shape.latentDim),
    areas: AREAS.map((name) => ({ name, units: shape.units, informativeness: 0.5 })),
  });
  const estimate = specOf('synthesize-b2g').estimate!(world as never, {});
  return { ...estimate.output, from: 'data' };
}

async function measuredPeak(shape: Shape, params: unknown): Promise<number> {
  const areas = AREAS.map((name) => ({ name, units: shape.units, signal: 1 }));
  const dataset = await datasetInput(tinyDataset(1, shape, areas));
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/support/measure-stage-memory.ts', 'train', JSON.stringify(params), `dataset=${dataset.dir}`],
    { timeout: 120_000 },
  );
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { peakBytes: number }).peakBytes;
}

for (const { name, shape, params } of [
  {
    name: 'model-dominated: PAM width 512 and the baseline, each in its thread',
    shape: { train: 100, test: 20, units: 3000, latentDim: 64 },
    params: { decoders: { baseline: { epochs: 1 }, pam: { epochs: 1, width: 512 } } },
  },
  {
    name: 'data-dominated: the baseline on 4200 items × 3000 units, in the stage thread',
    shape: { train: 4000, test: 200, units: 1000, latentDim: 16 },
    params: { decoders: { baseline: { epochs: 1 } } },
  },
]) {
  test(`train memory estimate is within 2× of the measured peak (${name})`, async () => {
    const spec = specOf('train');
    const estimate = totalBytes(spec.estimate!(spec.params.parse(params) as never, { dataset: plannedDataset(shape) }).memory);
    const measured = await measuredPeak(shape, params);
    const ratio = estimate / measured;
    console.log(`estimate ${formatBytes(estimate)}, measured peak ${formatBytes(measured)}, ratio ${ratio.toFixed(2)}`);
    assert.ok(ratio >= 0.5 && ratio <= 2, `estimate ${formatBytes(estimate)} vs measured ${formatBytes(measured)}`);
  });
}
