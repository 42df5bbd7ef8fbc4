/**
 * Buffer-sharing `Identity` for tfjs-backend-wasm 4.22.
 *
 * tfjs-core clones every tensor a kernel saves for its gradient (`Engine.saveTensorsForBackwardMode` → `clone` →
 * Identity), and the stock wasm Identity copies the data: for PAM that is a copy of most activations per step
 * (5–20 ms of a ~100 ms step in `tf.profile`). Tensors are immutable in tfjs (a Variable's `assign` switches to a new
 * data id), so the clone can share the buffer and bump its reference count — exactly what the cpu backend's
 * Identity does and what the wasm Reshape kernel already does.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from './kernel-patch.js';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

function patchIdentity(backendName: string): void {
  const stock = tf.getKernel('Identity', backendName);
  if (!stock) throw new Error(`tfjs backend ${backendName} lacks Identity`);
  const kernelFunc: tf.KernelConfig['kernelFunc'] = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock.kernelFunc({ inputs, backend, attrs });
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.unregisterKernel('Identity', backendName);
  tf.registerKernel({ ...stock, kernelFunc });
}

export const identityPatch: KernelPatch = { kernel: 'Identity', writtenFor: '4.22.0', apply: patchIdentity };
