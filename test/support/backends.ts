/**
 * The tensor backends numerical tests run on: every one installed here (src/tensor/tf-backend.ts
 * `installedBackends`), the GPU package excepted — on a machine without a GPU it is the same TensorFlow on the CPU
 * as tfjs-node, so it would only run each test twice. PAM_TEST_BACKENDS=wasm,cpu narrows the list.
 */
import { installedBackends, type TensorBackendRequest } from '../../src/tensor/native-backends.js';

const wanted = process.env['PAM_TEST_BACKENDS']?.split(',').filter(Boolean);

export const TEST_BACKENDS: TensorBackendRequest[] = installedBackends().filter(
  (b) => b !== 'tfjs-node-gpu' && (wanted === undefined || wanted.includes(b)),
);
