import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installedBackends } from '../../src/tensor/native-backends.js';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { Rng } from '../../src/random/rng.js';

const rng = new Rng(11);
const random = (shape: number[]) => tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)), shape);

/** Run `op` on the cpu backend and on (patched) wasm, returning both results as arrays. */
async function onBoth(op: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  await initTensorBackend('cpu', () => {});
  const reference = tf.tidy(() => op().dataSync() as Float32Array);
  await initTensorBackend('wasm', () => {});
  const patched = tf.tidy(() => op().dataSync() as Float32Array);
  return [reference, patched];
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

test('auto picks the first native backend built here, else wasm; logs the reason once, and is idempotent', async () => {
  const lines: string[] = [];
  const first = await initTensorBackend('auto', (l) => lines.push(l));
  const second = await initTensorBackend('auto', (l) => lines.push(l));
  const native = installedBackends().find((b) => b.startsWith('tfjs-node'));
  if (native) {
    assert.deepEqual(first, { backend: native, reason: 'auto: native TensorFlow' });
    assert.equal(tf.getBackend(), 'tensorflow');
  } else {
    assert.equal(first.backend, 'wasm');
    assert.match(first.reason, /^auto: .*wasm SIMD/);
    assert.equal(tf.getBackend(), 'wasm');
  }
  assert.deepEqual(second, first);
  assert.deepEqual(lines, [`tensor backend: ${first.backend} (${first.reason})`]);
});

test('every native backend installed here loads and computes on TensorFlow (a broken build fails here)', async () => {
  for (const kind of installedBackends().filter((b) => b.startsWith('tfjs-node'))) {
    const choice = await initTensorBackend(kind, () => {});
    assert.equal(choice.backend, kind);
    assert.equal(tf.getBackend(), 'tensorflow');
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    assert.deepEqual(Array.from(tf.matMul(a, a).dataSync()), [7, 10, 15, 22]);
    a.dispose();
  }
});

test('the Relu gradient is TensorFlow’s ReluGrad on native, the stock dy·step(x) elsewhere; both dy where x > 0, else 0', async (t) => {
  const native = installedBackends().find((b) => b.startsWith('tfjs-node'));
  const x = [-2, -0.5, 0, 0, 0.25, 3, -1e-7, 1e-7];
  const dy = [1.5, -2, 3, -4, 0.5, -0.75, 8, 9];
  const expected = x.map((v, i) => (v > 0 ? dy[i]! : 0));
  const backends = [...(native ? [native] : []), 'wasm', 'cpu'] as const;
  for (const backend of backends) {
    await initTensorBackend(backend, () => {});
    const weights = tf.tensor1d(dy);
    const input = tf.tensor1d(x);
    const reluGradient = () => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), weights)))(input);
    const profile = await tf.profile(() => reluGradient());
    const kernels = profile.kernels.map((k) => k.name);
    // Where x ≤ 0 a negative dy times 0 gives −0 on either path; compare as numbers.
    assert.deepEqual(
      Array.from(
        tf.tidy(() => reluGradient().dataSync()),
        (v) => v + 0,
      ),
      expected,
      backend,
    );
    if (backend === native) assert.ok(kernels.includes('PamNativeReluGrad') && !kernels.includes('Step'), kernels.join(' '));
    else assert.ok(kernels.includes('Step'), kernels.join(' '));
    tf.dispose([weights, input]);
  }
  if (!native) t.diagnostic('no native backend built here: only the stock gradient was checked');
});

test('unknown or unavailable backends are ConfigErrors', async () => {
  await assert.rejects(
    initTensorBackend('webgl' as never, () => {}),
    ConfigError,
  );
  const unavailable = (['tfjs-node-gpu', 'tfjs-node'] as const).find((kind) => !installedBackends().includes(kind));
  if (unavailable) {
    await assert.rejects(
      initTensorBackend(unavailable, () => {}),
      (e: Error) => e instanceof ConfigError && e.message.includes(unavailable),
    );
  }
});

test('patched wasm BatchMatMul matches the cpu backend for every transpose flag and batch shape', async () => {
  const a2 = random([5, 7]);
  const cases: [string, () => tf.Tensor][] = [];
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    const a = random(tA ? [3, 40, 6] : [3, 6, 40]);
    const b = random(tB ? [3, 9, 40] : [3, 40, 9]);
    cases.push([`batched tA=${tA} tB=${tB}`, () => tf.matMul(a, b, tA, tB)]);
  }
  // A·Bᵀ with small m: the (B·Aᵀ)ᵀ path.
  const wide = random([64, 7]);
  cases.push(['A·Bᵀ via (B·Aᵀ)ᵀ', () => tf.matMul(a2, wide, false, true)]);
  for (const [name, op] of cases) {
    const [reference, patched] = await onBoth(op);
    assert.ok(maxAbsDiff(reference, patched) < 1e-4, name);
  }
  await initTensorBackend('wasm', () => {});
  // The patch's intermediate transposes live only in the backend: count its data buffers, not engine tensors.
  tf.tidy(() => void tf.matMul(a2, wide, false, true)); // moves a2/wide onto wasm first
  const before = tf.engine().backend.numDataIds();
  tf.tidy(() => void tf.matMul(a2, wide, false, true));
  tf.tidy(() => void tf.matMul(a2, random([7, 5]), true, true));
  assert.equal(tf.engine().backend.numDataIds(), before, 'no leaked temporaries');
});

test('patched wasm Conv2DBackpropInput matches cpu (fast path and stock fallback)', async () => {
  const x = random([2, 6, 6, 3]);
  for (const [name, filterShape, stride] of [
    ['3×3 same stride 1', [3, 3, 3, 4], 1],
    ['2×2 fallback', [2, 2, 3, 4], 1],
    ['stride 2 fallback', [3, 3, 3, 4], 2],
  ] as const) {
    const filter = random([...filterShape]);
    const grad = () =>
      tf.grad((input: tf.Tensor) => tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, stride, 'same'))))(x);
    const [reference, patched] = await onBoth(grad);
    assert.ok(maxAbsDiff(reference, patched) < 1e-3, name);
  }
});

test('patched wasm Identity shares the buffer: clones cost no copy and outlive their source', async () => {
  await initTensorBackend('wasm', () => {});
  const source = tf.tensor1d([1, 2, 3]);
  const buffers = tf.engine().backend.numDataIds();
  const copy = tf.clone(source);
  assert.equal(tf.engine().backend.numDataIds(), buffers);
  source.dispose();
  assert.deepEqual([...copy.dataSync()], [1, 2, 3]);
  copy.dispose();
  assert.equal(tf.engine().backend.numDataIds(), buffers - 1);
});
