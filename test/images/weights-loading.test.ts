/** Weights files fail with a precise message before any compute: wrong shape, missing tensor, wrong sha256. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { ModelLoadError } from '../../src/errors/pipeline-errors.js';
import { loadFeatureNet, loadGenerator, loadLpips } from '../../src/images/plugins/model-loader.js';
import { encodeSafetensors, parseSafetensors, sha256Hex } from '../../src/images/codecs/safetensors.js';
import { vgg16WeightShapes } from '../../src/images/feature-nets/vgg16.js';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url).pathname;
const VGG = `${FIXTURES}vgg16-standin.safetensors`;
const WIDTHS = [8, 16, 32, 32, 32];
const dir = mkdtempSync(join(tmpdir(), 'pam-weights-'));

function variant(name: string, edit: (tensors: ReturnType<typeof parseSafetensors>['tensors']) => void): string {
  const { tensors } = parseSafetensors(readFileSync(VGG), VGG);
  edit(tensors);
  const path = join(dir, name);
  writeFileSync(path, encodeSafetensors(tensors));
  return path;
}

async function rejects(load: () => Promise<unknown> | unknown, pattern: RegExp): Promise<void> {
  await assert.rejects(
    async () => load(),
    (error: unknown) => {
      assert.ok(error instanceof ModelLoadError, `expected ModelLoadError, got ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('weights loading', () => {
  before(async () => {
    await initTensorBackend('wasm', () => {});
  });

  it('round-trips our safetensors writer through the reader (names, shapes, values)', () => {
    const { tensors } = parseSafetensors(readFileSync(VGG), VGG);
    const again = parseSafetensors(encodeSafetensors(tensors), 'copy').tensors;
    assert.deepEqual([...again.keys()], [...tensors.keys()]);
    assert.deepEqual(again.get('features.0.weight'), tensors.get('features.0.weight'));
    assert.deepEqual(new Map([...tensors].map(([k, v]) => [k, v.shape])), vgg16WeightShapes(WIDTHS));
  });

  it('names the tensor, its shape and the expected shape when a shape is wrong', async () => {
    const path = variant('wrong-shape.safetensors', (t) => t.set('features.2.bias', { shape: [9], values: new Float32Array(9) }));
    await rejects(
      () => loadFeatureNet({ kind: 'vgg16', widths: WIDTHS, seed: 0, weights: path }),
      /wrong-shape\.safetensors: tensor "features\.2\.bias" has shape \[9\], expected \[8\]/,
    );
  });

  it('names the missing tensor', async () => {
    const path = variant('missing.safetensors', (t) => t.delete('features.28.weight'));
    await rejects(
      () => loadFeatureNet({ kind: 'vgg16', widths: WIDTHS, seed: 0, weights: path }),
      /missing\.safetensors: missing tensor "features\.28\.weight" \(expected shape \[32, 32, 3, 3\]\)/,
    );
  });

  it('reports both hashes when the sha256 does not match', async () => {
    const wrong = '0'.repeat(64);
    await rejects(
      () => loadFeatureNet({ kind: 'vgg16', widths: WIDTHS, seed: 0, weights: VGG, sha256: wrong }),
      new RegExp(`sha256 is ${sha256Hex(readFileSync(VGG))}, but the config declares ${wrong}`),
    );
  });

  it('refuses weights for another architecture (widths) and negative LPIPS weights', async () => {
    await rejects(
      () => loadFeatureNet({ kind: 'vgg16', widths: [16, 32, 64, 128, 128], seed: 0, weights: VGG }),
      /tensor "features\.0\.weight" has shape \[8, 3, 3, 3\], expected \[16, 3, 3, 3\]/,
    );
    const path = variant('negative-lin.safetensors', (t) => {
      t.clear();
      WIDTHS.forEach((c, l) => {
        t.set(`lin${l}.model.1.weight`, { shape: [1, c, 1, 1], values: new Float32Array(c).fill(l === 3 ? -0.5 : 0.5) });
      });
    });
    await rejects(() => loadLpips({ weights: path }, WIDTHS), /"lin3\.model\.1\.weight" has a negative weight -0\.5 at channel 0/);
  });

  it('checks builtin generator weights against its declared resolution and channels', async () => {
    const path = join(dir, 'generator.safetensors');
    writeFileSync(path, readFileSync(VGG));
    await rejects(
      () => loadGenerator({ kind: 'builtin', resolution: 16, latentDim: 8, seed: 0, channels: [8, 8, 8], weights: path }),
      /generator\.safetensors: missing tensor "fc\.weight" \(expected shape \[128, 8\]\)/,
    );
  });

  it('loads the real lpips 0.1.4 VGG linear weights converted by scripts/convert_weights.py (checksums of docs/algorithms.md §7)', async () => {
    const head = loadLpips({ weights: `${FIXTURES}lpips-vgg-v0.1.safetensors` }, [64, 128, 256, 512, 512]);
    const sums = await Promise.all(head.linear!.map(async (w) => (await w.sum().data())[0]!));
    [6.925992, 8.858334, 17.515005, 51.521324, 47.034855].forEach((expected, l) => {
      assert.ok(Math.abs(sums[l]! - expected) < 1e-4, `lin${l}`);
    });
    assert.deepEqual(
      Array.from((await head.linear![0]!.data()).slice(0, 3)).map((v) => Number(v.toFixed(8))),
      [0.05011166, 0.03931232, 0.04640071],
    );
    assert.match(head.label, /lpips-vgg-v0\.1\.safetensors/);
  });

  it('names a truncated file', async () => {
    const path = join(dir, 'truncated.safetensors');
    writeFileSync(path, readFileSync(VGG).subarray(0, 1000));
    await rejects(
      () => loadFeatureNet({ kind: 'vgg16', widths: WIDTHS, seed: 0, weights: path }),
      /truncated\.safetensors: (header length|tensor)/,
    );
  });
});
