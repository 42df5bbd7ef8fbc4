/**
 * Loading a converted StyleGAN-XL generator (scripts/convert_stylegan_xl.py output, here the fixture networks) fails
 * before any compute with a ModelLoadError that names the file and the key or tensor: a broken architecture record,
 * a missing, extra or misshapen tensor, FIR filters that do not belong to the record, a wrong sha256.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../../src/errors/pipeline-errors.js';
import { encodeSafetensors, parseSafetensors, sha256Hex, type TensorMap } from '../../src/images/codecs/safetensors.js';
import { loadStyleGanXl } from '../../src/models/stylegan-xl/load-stylegan-xl.js';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';

const FIXTURES = new URL('../../fixtures/stylegan-xl/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pam-stylegan-xl-'));
const files = (name: string) => ({ architecture: `${FIXTURES}${name}.json`, weights: `${FIXTURES}${name}.safetensors` });

function weightsVariant(file: string, edit: (tensors: TensorMap) => void): string {
  const source = `${FIXTURES}conditional.safetensors`;
  const { tensors } = parseSafetensors(readFileSync(source), source);
  edit(tensors);
  const path = join(dir, file);
  writeFileSync(path, encodeSafetensors(tensors));
  return path;
}

function recordVariant(file: string, edit: (record: Record<string, unknown> & { layers: Record<string, unknown>[] }) => void): string {
  const record = JSON.parse(readFileSync(`${FIXTURES}conditional.json`, 'utf8'));
  edit(record);
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(record));
  return path;
}

function rejects(load: () => unknown, pattern: RegExp): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof ModelLoadError, `expected ModelLoadError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('StyleGAN-XL loading', () => {
  before(async () => {
    await initTensorBackend('wasm', () => {});
  });

  it('loads both converted fixture networks, with the sha256 checked when given', () => {
    for (const name of ['conditional', 'affine']) {
      const sha256 = sha256Hex(readFileSync(files(name).weights));
      const tensorsBefore = tf.memory().numTensors;
      const generator = loadStyleGanXl({ ...files(name), sha256 });
      assert.equal(generator.latentDim, name === 'conditional' ? 32 : 24);
      assert.equal(generator.height, name === 'conditional' ? 32 : 64);
      assert.equal(generator.numWs, name === 'conditional' ? 7 : 10);
      tf.dispose(tf.tidy(() => generator.synthesize(tf.zeros([1, generator.latentDim]))));
      generator.dispose();
      assert.equal(tf.memory().numTensors, tensorsBefore, 'synthesis and dispose leave no tensors behind');
    }
  });

  it('names the missing tensor and its expected shape', () => {
    const weights = weightsVariant('missing.safetensors', (t) => t.delete('synthesis.L3_36_16.affine.weight'));
    rejects(
      () => loadStyleGanXl({ ...files('conditional'), weights }),
      /missing tensor "synthesis\.L3_36_16\.affine\.weight" \(expected shape \[16, 32\]\)/,
    );
  });

  it('names a misshapen tensor with both shapes', () => {
    const weights = weightsVariant('shape.safetensors', (t) => {
      const embed = t.get('mapping.embed.weight')!;
      t.set('mapping.embed.weight', { shape: [2, 16], values: embed.values });
    });
    rejects(
      () => loadStyleGanXl({ ...files('conditional'), weights }),
      /tensor "mapping\.embed\.weight" has shape \[2, 16\], expected \[4, 8\]/,
    );
  });

  it('names tensors the architecture has no place for', () => {
    const weights = weightsVariant('extra.safetensors', (t) =>
      t.set('synthesis.L9_32_3.bias', { shape: [3], values: new Float32Array(3) }),
    );
    rejects(() => loadStyleGanXl({ ...files('conditional'), weights }), /unexpected tensors synthesis\.L9_32_3\.bias/);
  });

  it('refuses FIR filters that the record’s layer specs do not design', () => {
    const weights = weightsVariant('filter.safetensors', (t) => {
      const filter = t.get('synthesis.L4_52_8.up_filter')!;
      t.set('synthesis.L4_52_8.up_filter', { shape: filter.shape, values: filter.values.map((v, i) => (i === 3 ? v + 1e-3 : v)) });
    });
    rejects(
      () => loadStyleGanXl({ ...files('conditional'), weights }),
      /"synthesis\.L4_52_8\.up_filter" differs from the filter its layer spec designs/,
    );
    // The same file under a record whose cutoff was edited: the filters give the mismatch away.
    const architecture = recordVariant('cutoff.json', (r) => {
      r.layers[4]!['inCutoff'] = 5;
    });
    rejects(() => loadStyleGanXl({ architecture, weights: files('conditional').weights }), /"synthesis\.L5_32_8\.up_filter" differs/);
  });

  it('validates the architecture record: its keys, the layer chain, the embedding and the ToRGB layer', () => {
    const check = (file: string, edit: Parameters<typeof recordVariant>[1], pattern: RegExp) =>
      rejects(() => loadStyleGanXl({ ...files('conditional'), architecture: recordVariant(file, edit) }), pattern);
    check('key.json', (r) => delete r.layers[1]!['outCutoff'], /key\.json: layers\.1\.outCutoff: Required/);
    check(
      'chain.json',
      (r) => (r.layers[2]!['inChannels'] = 8),
      /layers\.2 \(L3_36_16\) takes 8 channels of 36 px, the layer before gives 16 of 36 px/,
    );
    check(
      'embedding.json',
      (r) => ((r['mapping'] as Record<string, unknown>)['embedding'] = null),
      /mapping\.embedding must be given exactly when cDim > 0/,
    );
    check('torgb.json', (r) => (r.layers[5]!['convKernel'] = 3), /the ToRGB layer's convKernel is 3, it must be 1/);
    check('format.json', (r) => (r['format'] = 'other/1'), /format: Invalid literal value/);
  });

  it('names the weights file whose sha256 does not match', () => {
    rejects(
      () => loadStyleGanXl({ ...files('affine'), sha256: '0'.repeat(64) }),
      /affine\.safetensors: sha256 is [0-9a-f]{64}, but the config declares 0{64}/,
    );
  });
});
