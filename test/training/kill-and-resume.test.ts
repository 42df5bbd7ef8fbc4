/**
 * Kill-and-resume: a run aborted after epoch k (the cancellation path a retried Temporal activity takes) resumes
 * from its checkpoint in the same partialDir — not from epoch 0 — and ends with the same model as an
 * uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spec } from '../../src/stages/train/spec.js';
import { runner } from '../../src/stages/train/runner.js';
import { readFloat32Matrix } from '../../src/tables/arrow-tables.js';
import { datasetInput, tinyDataset } from '../support/dataset-tables.js';
import { stageContext, writtenTable } from '../support/stage-context.js';

const dataset = tinyDataset(2, { train: 80, test: 8, latentDim: 6 }, [
  { name: 'V1', units: 10, signal: 1 },
  { name: 'V4', units: 6, signal: 1 },
  { name: 'IT', units: 6, signal: 2 },
]);

function weightsOf(outDir: string, decoder: string): Float32Array {
  const bytes = readFileSync(join(outDir, 'weights', decoder, 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function killAndResume(decoders: Record<string, unknown>, parallel: boolean, killOn: string, killAtEpoch: number) {
  const params = spec.params.parse({ decoders, checkpointEveryEpochs: 2, parallel });
  const names = Object.keys(decoders);
  const inputs = { dataset: await datasetInput(dataset) };
  const straight = stageContext({ params, seed: 7, backend: 'wasm', inputs });
  await runner.run(straight);

  const killed = stageContext({
    params,
    seed: 7,
    backend: 'wasm',
    inputs,
    onProgress: (p, abort) => {
      if (p.message.startsWith(`${killOn} epoch ${killAtEpoch}/`)) abort.abort(new Error('simulated kill'));
    },
  });
  await assert.rejects(runner.run(killed), /simulated kill/);

  const resumed = stageContext({ params, seed: 7, backend: 'wasm', inputs, partialDir: killed.partialDir });
  const { summary } = await runner.run(resumed);
  // The heartbeat token of the killed run names each decoder's last checkpoint; the disk may be ahead of it (a
  // thread can checkpoint after the kill was requested), never behind.
  const token = killed.progressReports.at(-1)!.checkpoint as Record<string, number>;
  assert.ok(token[killOn]! >= 2);
  for (const name of names) {
    const from = summary[`${name}.resumedFromEpoch`] as number;
    assert.ok(from >= token[name]! && from >= (name === killOn ? 2 : 0), `${name} resumed from epoch ${from}, token ${token[name]}`);
    assert.equal(summary[`${name}.epochsRun`], 6);
    const a = weightsOf(straight.output.dir, name);
    const b = weightsOf(resumed.output.dir, name);
    assert.equal(a.length, b.length);
    const maxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    assert.ok(maxDiff <= 1e-6, `${name}: resumed weights differ by ${maxDiff}`);
  }
  assert.deepEqual(
    readFloat32Matrix(writtenTable(resumed, 'predictions'), 'latent').values,
    readFloat32Matrix(writtenTable(straight, 'predictions'), 'latent').values,
  );
  // The resumed run trains only the epochs after each decoder's checkpoint.
  for (const name of names) {
    const from = summary[`${name}.resumedFromEpoch`] as number;
    const epochsTrained = resumed.progressReports
      .map((p) => new RegExp(`^${name} epoch (\\d+)/`).exec(p.message))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    assert.deepEqual(
      epochsTrained,
      Array.from({ length: 6 - from }, (_, i) => from + 1 + i),
      `${name} resumed from ${from}`,
    );
  }
}

test('baseline: killed after epoch 3 resumes from the epoch-2 checkpoint and matches the straight run', async () => {
  await killAndResume({ baseline: { epochs: 6 } }, false, 'baseline', 3);
});

test('PAM and baseline in worker threads: killed during PAM epoch 4 resume from checkpoints and match', async () => {
  await killAndResume({ baseline: { epochs: 6 }, pam: { epochs: 6, width: 8, embeddingBlocks: 2 } }, true, 'pam', 3);
});
