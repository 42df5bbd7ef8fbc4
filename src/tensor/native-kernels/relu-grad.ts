/**
 * The Relu gradient as one TensorFlow op on the native backend.
 *
 * tfjs-core's gradient of Relu is dy · cast(step(x)) (tfjs-core src/gradients/Relu_grad.ts), and tfjs-node runs
 * `step` as a composite of six full-size ops (tfjs-node src/kernels/Step.ts: IsNan, Greater, two Fills, two
 * Selects), so every ReLU costs nine kernels backward. TensorFlow's own `ReluGrad` (gradients · (features > 0), the
 * op TensorFlow's Python autodiff uses) is one. In a profiled inversion step (docs/compute.md §10) Step, Fill,
 * Select, Greater and IsNan took 48 of its 271 ms of kernel time.
 *
 * Gradients are registered per kernel name for every backend at once, so the override dispatches on the active
 * backend: native TensorFlow runs ReluGrad, every other backend the stock formula. The two differ only where x is
 * NaN (ReluGrad gives 0 there, as PyTorch's threshold_backward does; tfjs's step passes the NaN through).
 */
import * as tf from '@tensorflow/tfjs';
import { floatAttr, type NodeBackend } from './native-backend.js';

const NATIVE_RELU_GRAD = 'PamNativeReluGrad';

let registeredFor: string | undefined;

/** Register the kernel on the native backend `backendName` and the backend-dispatching gradient. */
export function useNativeReluGrad(backendName: string): void {
  if (registeredFor === backendName) return;
  tf.registerKernel({
    kernelName: NATIVE_RELU_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const native = backend as unknown as NodeBackend;
      return native.executeSingleOutput('ReluGrad', [floatAttr(native, 'T')], [inputs['dy']!, inputs['x']!]);
    },
  });
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      const gradient = dy as tf.Tensor;
      return {
        x: () =>
          tf.getBackend() === backendName && x.dtype === 'float32'
            ? (tf.engine().runKernel(NATIVE_RELU_GRAD, { dy: gradient, x }) as tf.Tensor)
            : tf.mul(gradient, tf.cast(tf.step(x), 'float32')),
      };
    },
  });
  registeredFor = backendName;
}
