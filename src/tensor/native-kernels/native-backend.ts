/**
 * The part of tfjs-node's `NodeJSKernelBackend` that runs a TensorFlow op by name
 * (`executeSingleOutput` / `executeMultipleOutputs`, node_modules/@tensorflow/tfjs-node/dist/nodejs_kernel_backend.js),
 * typed here because the native package is optional and never imported for its types.
 */
import type * as tf from '@tensorflow/tfjs';

export interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

export interface NodeBackend {
  binding: Record<'TF_ATTR_STRING' | 'TF_ATTR_BOOL' | 'TF_ATTR_TYPE' | 'TF_ATTR_SHAPE' | 'TF_FLOAT', number>;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], outputs: number): tf.Tensor[];
}

/** A float32 type attribute (`T`, `dtype`) of a native op. */
export function floatAttr(backend: NodeBackend, name: string): OpAttr {
  return { name, type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT };
}
