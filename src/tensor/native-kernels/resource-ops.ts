/**
 * TensorFlow resource variables and its fused Adam kernel, on native TensorFlow only. tfjs-node's backend runs any
 * TensorFlow op by name (native-backend.ts; tfjs-node's TensorBoard writer holds resource handles the same way, as
 * tensors of dtype 'string'). `ResourceApplyAdam` updates a variable and both moments in one
 * multithreaded pass, where the same update in tfjs ops is 13 kernels each reading and writing the whole
 * parameter (docs/compute.md §3b).
 *
 * Variables are anonymous (TensorFlow's `ResourceHandle::ANONYMOUS_NAME`, what TF2 eager variables use), so the
 * resource lives as long as its handle tensor: disposing the handle frees it, and two trainers never share one.
 * A kernel that writes a variable copies its buffer first when a tensor read from it is still alive
 * (TensorFlow's copy-on-write for resource variables), so tensors read out stay immutable, as tfjs requires.
 */
import * as tf from '@tensorflow/tfjs';
import { floatAttr, type NodeBackend, type OpAttr } from './native-backend.js';

const ANONYMOUS_NAME = 'cd2c89b7-88b7-44c8-ad83-06c2a9158347';

/** Handles of one parameter's variable and Adam moments. */
export interface AdamSlots {
  variable: tf.Tensor;
  first: tf.Tensor;
  second: tf.Tensor;
}

export interface ResourceOps {
  /** A new float32 variable holding `initial`; returns its handle (dispose it to free the variable). */
  create(initial: tf.Tensor): tf.Tensor;
  assign(handle: tf.Tensor, value: tf.Tensor): void;
  /** The variable's current value, as a tfjs tensor. */
  read(handle: tf.Tensor): tf.Tensor;
  /**
   * TensorFlow's ApplyAdam with both β powers 0, so its step size is `learningRate` as given:
   * m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2), p ← p − learningRate·m / (√v + ε).
   */
  applyAdam(
    slots: AdamSlots,
    scalars: { learningRate: tf.Scalar; beta1: tf.Scalar; beta2: tf.Scalar; epsilon: tf.Scalar; zero: tf.Scalar },
    gradient: tf.Tensor,
  ): void;
}

/** The resource-variable ops when the active backend is native TensorFlow, else null. */
export function nativeResourceOps(): ResourceOps | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const backend = tf.backend() as unknown as NodeBackend;
  const { binding } = backend;
  const float = (name: string): OpAttr => floatAttr(backend, name);
  const flag = (name: string, value: boolean): OpAttr => ({ name, type: binding.TF_ATTR_BOOL, value });
  const assign = (handle: tf.Tensor, value: tf.Tensor) => {
    backend.executeMultipleOutputs('AssignVariableOp', [float('dtype'), flag('validate_shape', false)], [handle, value], 0);
  };
  return {
    create(initial) {
      const handle = backend.executeSingleOutput(
        'VarHandleOp',
        [
          { name: 'container', type: binding.TF_ATTR_STRING, value: '' },
          { name: 'shared_name', type: binding.TF_ATTR_STRING, value: ANONYMOUS_NAME },
          float('dtype'),
          { name: 'shape', type: binding.TF_ATTR_SHAPE, value: initial.shape },
        ],
        [],
      );
      assign(handle, initial);
      return handle;
    },
    assign,
    read: (handle) => backend.executeSingleOutput('ReadVariableOp', [float('dtype')], [handle]),
    applyAdam(slots, s, gradient) {
      backend.executeMultipleOutputs(
        'ResourceApplyAdam',
        [float('T'), flag('use_locking', false), flag('use_nesterov', false)],
        [slots.variable, slots.first, slots.second, s.zero, s.zero, s.learningRate, s.beta1, s.beta2, s.epsilon, gradient],
        0,
      );
    },
  };
}
