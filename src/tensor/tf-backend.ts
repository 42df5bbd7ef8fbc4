/**
 * Choose and initialise the tfjs backend for this process (or worker thread).
 *
 * Order for `auto`: native TensorFlow (tfjs-node, else tfjs-node-gpu; built by scripts/setup.sh from a PyPI wheel,
 * docs/compute.md §1a), then wasm (SIMD, one core), then the pure-JS cpu backend (≈17× slower than wasm, docs/compute.md §3). On wasm the two measured slow kernels are re-registered and Identity
 * shares buffers instead of copying (`wasm-kernels/`), when the installed tfjs-backend-wasm is the version they were
 * written for (`wasm-kernels/kernel-patch.ts`). Every worker thread has its own tfjs engine and must call this itself.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/pipeline-errors.js';
import { batchMatMulPatch } from './wasm-kernels/batch-mat-mul.js';
import { conv2DBackpropInputPatch } from './wasm-kernels/conv2d-backprop-input.js';
import { identityPatch } from './wasm-kernels/identity.js';
import { applyKernelPatches } from './wasm-kernels/kernel-patch.js';
import { useNativeReluGrad } from './native-kernels/relu-grad.js';
import {
  autoNative,
  isTensorBackendRequest,
  NATIVE,
  nativeMissing,
  TENSOR_BACKEND_REQUESTS,
  type TensorBackendRequest,
} from './native-backends.js';

/** Re-exported for the modules that initialise a backend, so they import one module. */
export type { TensorBackendRequest } from './native-backends.js';

export interface TensorBackendChoice {
  backend: string;
  reason: string;
}

const choices = new Map<TensorBackendRequest, Promise<TensorBackendChoice>>();
/** Kernels patched on the wasm backend, once it has been initialised in this process/thread. */
let wasmPatched: string[] | undefined;

async function tryNative(kind: 'tfjs-node-gpu' | 'tfjs-node'): Promise<string | null> {
  const { pkg, name } = NATIVE[kind];
  const missing = nativeMissing(pkg);
  if (missing) return missing;
  // libtensorflow's C++ INFO lines (oneDNN, CPU features) on every thread's stderr; warnings and errors still show.
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '1';
  try {
    // A variable specifier keeps TypeScript from resolving a package that is usually not installed.
    await import(pkg);
  } catch (cause) {
    return `${pkg} not loadable (${(cause as Error).message.split('\n')[0]})`;
  }
  if (!(await tf.setBackend(name))) return `${pkg} loaded but backend "${name}" failed to initialise`;
  useNativeReluGrad(name);
  return null;
}

/** The wasm backend, its measured slow kernels patched; the names of the patched kernels, or null if it failed. */
async function useWasm(): Promise<string[] | null> {
  // Registers the "wasm" backend; its .wasm files sit next to its CJS entry.
  const { version_wasm } = await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) return null;
  await tf.ready();
  wasmPatched ??= applyKernelPatches([batchMatMulPatch, conv2DBackpropInputPatch, identityPatch], 'wasm', version_wasm);
  return wasmPatched;
}

async function choose(requested: TensorBackendRequest): Promise<TensorBackendChoice> {
  const skipped: string[] = [];
  if (requested === 'tfjs-node-gpu' || requested === 'tfjs-node') {
    const failure = await tryNative(requested);
    if (failure) throw new ConfigError(`backend "${requested}" requested but ${failure}`);
    return { backend: requested, reason: 'requested' };
  }
  if (requested === 'auto') {
    const native = autoNative();
    if (native) {
      const failure = await tryNative(native);
      if (!failure) return { backend: native, reason: 'auto: native TensorFlow' };
      skipped.push(failure);
    }
  }
  if (requested !== 'cpu') {
    const patched = await useWasm();
    if (patched) {
      const kernels = patched.length > 0 ? `patched ${patched.join('/')}` : 'stock kernels';
      const why = [...skipped, `wasm SIMD with ${kernels}`].join('; ');
      return { backend: 'wasm', reason: requested === 'auto' ? `auto: ${why}` : 'requested' };
    }
    if (requested === 'wasm') throw new ConfigError('backend "wasm" requested but it failed to initialise');
    skipped.push('wasm failed to initialise');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', reason: requested === 'cpu' ? 'requested' : `auto: ${skipped.join('; ')}` };
}

/**
 * Initialise the requested backend (idempotent per request and process/thread) and log the choice once.
 * Throws ConfigError for an unknown name or an explicitly requested backend that cannot load.
 */
export async function initTensorBackend(
  requested: TensorBackendRequest,
  log: (line: string) => void = (line) => console.info(line),
): Promise<TensorBackendChoice> {
  if (!isTensorBackendRequest(requested)) {
    throw new ConfigError(`unknown tensor backend "${String(requested)}" (expected one of ${TENSOR_BACKEND_REQUESTS.join(', ')})`);
  }
  let pending = choices.get(requested);
  if (!pending) {
    pending = choose(requested).then((choice) => {
      log(`tensor backend: ${choice.backend} (${choice.reason})`);
      return choice;
    });
    pending.catch(() => choices.delete(requested));
    choices.set(requested, pending);
  }
  const choice = await pending;
  // Another request may have switched the global backend since; restore this one.
  const active = choice.backend.startsWith('tfjs-node') ? 'tensorflow' : choice.backend;
  if (tf.getBackend() !== active) await tf.setBackend(active);
  return choice;
}
