/**
 * Faster `Conv2DBackpropInput` for tfjs-backend-wasm 4.22.
 *
 * The stock wasm kernel is a naive loop (docs/compute.md §4: 1623 ms of a 1834 ms generator step). For
 * stride 1, 'same' padding, an odd kernel and NHWC, the input gradient is a forward 'same' convolution of dy with
 * the spatially flipped kernel whose in/out channels are swapped (Dumoulin & Visin 2016, "A guide to convolution
 * arithmetic", §4.1 — transposed convolution of a unit-stride 'same' conv), which the fast wasm Conv2D kernel
 * computes. Every other configuration falls back to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from './kernel-patch.js';

type TensorInfo = tf.TensorInfo;
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}
interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: unknown;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: string;
  inputShape: number[];
}

function isUnitStride(strides: number | [number, number]): boolean {
  return typeof strides === 'number' ? strides === 1 : strides[0] === 1 && strides[1] === 1;
}

/** Register the patched kernel for `backendName`. */
function patchConv2DBackpropInput(backendName: string): void {
  const stock = tf.getKernel('Conv2DBackpropInput', backendName);
  const conv2d = tf.getKernel('Conv2D', backendName);
  const reverse = tf.getKernel('Reverse', backendName);
  const transpose = tf.getKernel('Transpose', backendName);
  if (!stock || !conv2d || !reverse || !transpose) {
    throw new Error(`tfjs backend ${backendName} lacks Conv2DBackpropInput, Conv2D, Reverse or Transpose`);
  }
  const kernelFunc: tf.KernelConfig['kernelFunc'] = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as BackpropInputAttrs;
    const [filterHeight, filterWidth] = filter.shape as [number, number, number, number];
    const fast = isUnitStride(a.strides) && a.pad === 'same' && a.dataFormat === 'NHWC' && filterHeight % 2 === 1 && filterWidth % 2 === 1;
    if (!fast) return stock.kernelFunc({ inputs, backend, attrs });
    const flipped = reverse.kernelFunc({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } }) as TensorInfo;
    const swapped = transpose.kernelFunc({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } }) as TensorInfo;
    const dx = conv2d.kernelFunc({
      inputs: { x: dy, filter: swapped },
      backend,
      attrs: {
        strides: [1, 1],
        pad: 'same',
        dataFormat: 'NHWC',
        dilations: [1, 1],
        ...(a.dimRoundingMode ? { dimRoundingMode: a.dimRoundingMode } : {}),
      },
    }) as TensorInfo;
    const disposer = backend as unknown as DisposingBackend;
    disposer.disposeData(flipped.dataId);
    disposer.disposeData(swapped.dataId);
    return dx;
  };
  tf.unregisterKernel('Conv2DBackpropInput', backendName);
  tf.registerKernel({ ...stock, kernelFunc });
}

export const conv2DBackpropInputPatch: KernelPatch = {
  kernel: 'Conv2DBackpropInput',
  writtenFor: '4.22.0',
  apply: patchConv2DBackpropInput,
};
