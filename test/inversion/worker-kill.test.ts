/**
 * Acceptance: killing the process that runs an inversion shard (SIGKILL, no cleanup) loses at most the image in
 * flight; the retried attempt inverts exactly the images that had no saved result.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rng } from '../../src/random/rng.js';
import { CHECKPOINT_MANIFEST } from '../../src/store/checkpoint-dir.js';
import { runner as invertRunner } from '../../src/stages/invert-latents/runner.js';
import { spec as invertSpec } from '../../src/stages/invert-latents/spec.js';
import { stimuliToTable } from '../../src/tables/stimuli.js';
import { readStrings } from '../../src/tables/arrow-tables.js';
import { inputArtifact, stageContext, tempDir, writtenTable } from '../support/stage-context.js';

const generator = { kind: 'builtin' as const, resolution: 16, latentDim: 32, seed: 5 };
const rawParams = { steps: 25, seeds: 4, shards: 1, generator };

describe('worker kill during inversion', () => {
  it('a SIGKILLed shard resumes at its first image without a saved result', async () => {
    const rng = new Rng(8);
    const ids = ['a', 'b', 'c', 'd'];
    // Any images in [-1, 1] will do: the test is about which images get (re)computed.
    const pixels = rng.normals(ids.length * 16 * 16 * 3, 0.4).map((v) => Math.tanh(v));
    const images = await inputArtifact('render-stimuli', {
      stimuli: stimuliToTable({ ids, splits: ids.map(() => 'train'), pixels, height: 16, width: 16, source: 'test' }),
    });
    const partialDir = tempDir('pam-kill-partial-');
    const savedDir = join(partialDir, 'shard-0');

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./invert-shard-child.ts', import.meta.url).pathname, images.dir, partialDir, JSON.stringify(rawParams)],
      { stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    // A record counts once its manifest is written (src/store/checkpoint-dir.ts).
    while (!existsSync(join(savedDir, 'image-0', CHECKPOINT_MANIFEST))) {
      assert.ok(Date.now() < deadline, 'the child never finished its first image');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const savedAtKill = readdirSync(savedDir)
      .filter((f) => /^image-\d+$/.test(f) && existsSync(join(savedDir, f, CHECKPOINT_MANIFEST)))
      .map((f) => Number(f.slice(6)));
    assert.ok(savedAtKill.length >= 1 && savedAtKill.length < ids.length, `saved ${savedAtKill.length} of ${ids.length} before the kill`);

    const retry = stageContext({
      params: invertSpec.params.parse(rawParams),
      seed: 1,
      backend: 'wasm',
      inputs: { images },
      partialDir,
      shard: { index: 0, count: 1 },
    });
    await invertRunner.run(retry);
    const redone = retry.logs.filter((l) => l.startsWith('inverting')).map((l) => l.split(' ')[2]);
    assert.deepEqual(
      redone,
      ids.filter((_, i) => !savedAtKill.includes(i)),
    );
    assert.deepEqual(readStrings(writtenTable(retry, 'latents'), 'image_id'), ids);
  });
});
