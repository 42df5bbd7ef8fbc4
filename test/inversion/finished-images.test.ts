/**
 * Finished-image records of `invert-latents` (src/inversion/finished-images.ts): a damaged record is reported and
 * only that image inverted again, with the same result; a record of another shape is damage too.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FinishedImages } from '../../src/inversion/finished-images.js';
import { Rng } from '../../src/random/rng.js';
import { writeCheckpointDir } from '../../src/store/checkpoint-dir.js';
import { runner as invertRunner } from '../../src/stages/invert-latents/runner.js';
import { spec as invertSpec } from '../../src/stages/invert-latents/spec.js';
import { readFloat32Matrix } from '../../src/tables/arrow-tables.js';
import { stimuliToTable } from '../../src/tables/stimuli.js';
import { inputArtifact, stageContext, tempDir, writtenTable } from '../support/stage-context.js';

const generator = { kind: 'builtin' as const, resolution: 16, latentDim: 32, seed: 5 };
const params = invertSpec.params.parse({ steps: 10, seeds: 2, shards: 1, generator });

describe('finished-image records', () => {
  it('a damaged record is reported and that image redone; the others are reused and the result is unchanged', async () => {
    const ids = ['a', 'b', 'c'];
    const pixels = new Rng(8).normals(ids.length * 16 * 16 * 3, 0.4).map((v) => Math.tanh(v));
    const images = await inputArtifact('render-stimuli', {
      stimuli: stimuliToTable({ ids, splits: ids.map(() => 'train'), pixels, height: 16, width: 16, source: 'test' }),
    });
    const partialDir = tempDir('pam-invert-partial-');
    const context = () => stageContext({ params, seed: 1, backend: 'wasm', inputs: { images }, partialDir, shard: { index: 0, count: 1 } });
    const first = context();
    await invertRunner.run(first);

    // Still valid JSON, one digit changed (the first seed number).
    const record = join(partialDir, 'shard-0', 'image-1', 'result.json');
    const text = readFileSync(record, 'utf8');
    const digit = text.search(/[0-8](?=\d*[,\]])/);
    writeFileSync(record, `${text.slice(0, digit)}${Number(text[digit]) + 1}${text.slice(digit + 1)}`);

    const retry = context();
    await invertRunner.run(retry);
    const line = 'image b record damaged (result.json sha256 mismatch); inverting it again';
    assert.ok(retry.logs.includes(line), retry.logs.join('\n'));
    assert.ok(retry.progressReports.some((p) => p.message === line));
    assert.deepEqual(
      retry.logs.filter((l) => l.startsWith('inverting')).map((l) => l.split(' ')[2]),
      ['b'],
    );
    assert.deepEqual(
      readFloat32Matrix(writtenTable(retry, 'latents'), 'latent').values,
      readFloat32Matrix(writtenTable(first, 'latents'), 'latent').values,
    );
  });

  it('an intact record of the wrong shape is damage, not a result', () => {
    const dir = tempDir('pam-finished-');
    writeCheckpointDir(join(dir, 'image-0'), {
      'result.json': JSON.stringify({ imageId: 'a', seeds: [1, 2], latents: [0, 0], lpips: [0.5], best: 0 }),
    });
    const reasons: string[] = [];
    assert.equal(
      new FinishedImages(dir).load(0, 'a', (reason) => reasons.push(reason)),
      null,
    );
    assert.deepEqual(reasons, ['result.json: 1 LPIPS, 2 latent values, best 0 for 2 seeds']);
  });
});
