/**
 * Choose and initialise the tfjs backend for this process (or worker thread).
 *
 * Order for `auto`: tfjs-node-gpu, tfjs-node (native libtensorflow; both fail to install offline, see
 * shared/notes/compute.md §1, so they are optional dynamic imports), then wasm (SIMD, one core), then the pure-JS
 * cpu backend (≈17× slower than wasm, §3). On wasm the two measured slow kernels are re-registered and Identity
 * shares buffers instead of copying (`wasm-kernels/`). Every worker thread has its own tfjs engine and must call this itself.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/pipeline-errors.js';
import { patchBatchMatMul } from './wasm-kernels/batch-mat-mul.js';
import { patchConv2DBackpropInput } from './wasm-kernels/conv2d-backprop-input.js';
import { patchIdentity } from './wasm-kernels/identity.js';

export type TensorBackendRequest = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export interface TensorBackendChoice {
  backend: string;
  reason: string;
}

export const TENSOR_BACKEND_REQUESTS: readonly TensorBackendRequest[] = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export function isTensorBackendRequest(name: string): name is TensorBackendRequest {
  return (TENSOR_BACKEND_REQUESTS as readonly string[]).includes(name);
}
/** Package that registers each native backend, and the tfjs backend name it registers. */
const NATIVE: Record<'tfjs-node-gpu' | 'tfjs-node', { pkg: string; name: string }> = {
  'tfjs-node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', name: 'tensorflow' },
  'tfjs-node': { pkg: '@tensorflow/tfjs-node', name: 'tensorflow' },
};

const choices = new Map<TensorBackendRequest, Promise<TensorBackendChoice>>();
const patchedBackends = new Set<string>();

async function tryNative(kind: 'tfjs-node-gpu' | 'tfjs-node'): Promise<string | null> {
  const { pkg, name } = NATIVE[kind];
  try {
    // A variable specifier keeps TypeScript from resolving a package that is usually not installed.
    await import(pkg);
  } catch (cause) {
    return `${pkg} not loadable (${(cause as Error).message.split('\n')[0]})`;
  }
  return (await tf.setBackend(name)) ? null : `${pkg} loaded but backend "${name}" failed to initialise`;
}

async function useWasm(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-wasm'); // registers the "wasm" backend; its .wasm files sit next to its CJS entry
  if (!(await tf.setBackend('wasm'))) return false;
  await tf.ready();
  if (!patchedBackends.has('wasm')) {
    patchBatchMatMul('wasm');
    patchConv2DBackpropInput('wasm');
    patchIdentity('wasm');
    patchedBackends.add('wasm');
  }
  return true;
}

async function choose(requested: TensorBackendRequest): Promise<TensorBackendChoice> {
  const skipped: string[] = [];
  if (requested === 'tfjs-node-gpu' || requested === 'tfjs-node') {
    const failure = await tryNative(requested);
    if (failure) throw new ConfigError(`backend "${requested}" requested but ${failure}`);
    return { backend: requested, reason: 'requested' };
  }
  if (requested === 'auto') {
    for (const kind of ['tfjs-node-gpu', 'tfjs-node'] as const) {
      const failure = await tryNative(kind);
      if (!failure) return { backend: kind, reason: `auto: fastest installed (${skipped.join('; ') || 'first choice'})` };
      skipped.push(failure);
    }
  }
  if (requested !== 'cpu') {
    if (await useWasm()) {
      return {
        backend: 'wasm',
        reason:
          requested === 'auto'
            ? `auto: ${skipped.join('; ')}; wasm SIMD with patched BatchMatMul/Conv2DBackpropInput/Identity`
            : 'requested',
      };
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
