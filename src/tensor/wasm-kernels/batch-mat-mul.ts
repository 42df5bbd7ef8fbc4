/**
 * Faster `BatchMatMul` for tfjs-backend-wasm 4.22 when a transpose flag is set.
 *
 * The stock wasm kernel reads the transposed operand with a strided inner loop, which measured 10× slower than the
 * plain product at PAM shapes (docs/compute.md §2: dy·Wᵀ 4.96 ms → 0.50 ms, xᵀ·dy 10.3 ms → 0.71 ms).
 * Every matMul gradient sets a flag, so this dominates training. The patch transposes explicitly with the wasm
 * `Transpose` kernel and calls the stock kernel with both flags false; for A·Bᵀ it uses (B·Aᵀ)ᵀ when that moves
 * fewer elements. The result equals the stock kernel up to float rounding.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from './kernel-patch.js';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type TensorInfo = tf.TensorInfo;
/** The backend a kernel receives, as tfjs-core's kernel_registry types it (an opaque `{}`). */
type KernelBackendParam = Parameters<KernelFunc>[0]['backend'];
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

/** Swap the last two axes with the backend's own Transpose kernel. */
function transposeLastTwo(transpose: KernelFunc, x: TensorInfo, backend: KernelBackendParam): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const last = perm.length - 1;
  [perm[last - 1], perm[last]] = [perm[last]!, perm[last - 1]!];
  return transpose({ inputs: { x }, backend: backend as tf.KernelBackend, attrs: { perm } }) as TensorInfo;
}

/** Register the patched kernel for `backendName` (idempotent: the caller patches once per backend instance). */
function patchBatchMatMul(backendName: string): void {
  const stock = tf.getKernel('BatchMatMul', backendName);
  const transposeKernel = tf.getKernel('Transpose', backendName);
  if (!stock || !transposeKernel) throw new Error(`tfjs backend ${backendName} lacks BatchMatMul or Transpose`);
  const transpose = transposeKernel.kernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stock.kernelFunc({ inputs, backend, attrs });
    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => {
      temporaries.push(t);
      return t;
    };
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const product = (x: TensorInfo, y: TensorInfo): TensorInfo =>
      stock.kernelFunc({ inputs: { a: x, b: y }, backend, attrs: plain }) as TensorInfo;
    let out: TensorInfo;
    const m = a.shape[a.shape.length - 2]!;
    const k = a.shape[a.shape.length - 1]!;
    const n = b.shape[b.shape.length - 2]!;
    // A·Bᵀ = (B·Aᵀ)ᵀ: transposing A and the m×n result can move fewer elements than transposing the n×k B.
    if (transposeB && !transposeA && m * k + m * n < n * k) {
      out = transposeLastTwo(transpose, keep(product(b, keep(transposeLastTwo(transpose, a, backend)))), backend);
    } else {
      const left = transposeA ? keep(transposeLastTwo(transpose, a, backend)) : a;
      const right = transposeB ? keep(transposeLastTwo(transpose, b, backend)) : b;
      out = product(left, right);
    }
    const disposer = backend as unknown as DisposingBackend;
    for (const t of temporaries) disposer.disposeData(t.dataId);
    return out;
  };
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel({ ...stock, kernelFunc });
}

export const batchMatMulPatch: KernelPatch = { kernel: 'BatchMatMul', writtenFor: '4.22.0', apply: patchBatchMatMul };
