/**
 * The tensor backends a config can ask for, and which native TensorFlow packages this machine has built, without
 * importing tfjs: the CLI and the worker's main thread need these (`pam run` of a cached experiment computes
 * nothing, and importing tfjs costs about half a second of its start), the compute threads import tf-backend.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type TensorBackendRequest = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export const TENSOR_BACKEND_REQUESTS: readonly TensorBackendRequest[] = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export function isTensorBackendRequest(name: string): name is TensorBackendRequest {
  return (TENSOR_BACKEND_REQUESTS as readonly string[]).includes(name);
}
/** Package that registers each native backend, and the tfjs backend name it registers. */
export const NATIVE: Record<'tfjs-node-gpu' | 'tfjs-node', { pkg: string; name: string }> = {
  'tfjs-node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', name: 'tensorflow' },
  'tfjs-node': { pkg: '@tensorflow/tfjs-node', name: 'tensorflow' },
};

/**
 * Why `pkg` cannot load without trying, or null: package.json declares both native packages optional with their
 * install scripts denied (scripts/install-tfjs-node.sh builds the binding into node-pre-gyp's `module_path`,
 * lib/napi-v<N>/). Importing one without its binding registers its kernels before it fails, so the next package
 * would register them again (one warning per kernel).
 */
export function nativeMissing(pkg: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    return `${pkg} not installed`;
  }
  return existsSync(path.join(dir, 'lib')) ? null : `${pkg} has no native binding built (scripts/setup.sh builds it)`;
}

/**
 * Load the native package `auto` would pick into this process once, from the main thread, before compute threads
 * load it: libtensorflow's first load is not safe from two threads at once. Two decoder threads doing it together
 * crashed or hung about one process in 25 (a segfault, or a train stage stuck at "starting"); with the library
 * loaded by the main thread first, 0 of 25 (docs/compute.md §1a). Later loads in threads only create their own
 * TensorFlow context. Only for a request that gets native TensorFlow (by name or `auto`), once per package;
 * synchronous (tfjs-node is CommonJS). A package that is missing or fails to load is left to the thread that asks
 * for it, which reports why (tryNative).
 */
const preloaded = new Set<string>();
export function preloadNativeLibrary(requested: string): void {
  const kind = requested === 'auto' ? autoNative() : requested;
  if (kind !== 'tfjs-node' && kind !== 'tfjs-node-gpu') return;
  const { pkg } = NATIVE[kind];
  if (preloaded.has(pkg) || nativeMissing(pkg) !== null) return;
  preloaded.add(pkg);
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '1';
  try {
    createRequire(import.meta.url)(pkg);
  } catch {
    // a broken build: reported by the thread that asks for it
  }
}

/** Native backends in the order `auto` prefers them: tfjs-node, then tfjs-node-gpu (which runs on the CPU without a GPU). */
const NATIVE_ORDER = ['tfjs-node', 'tfjs-node-gpu'] as const;

/**
 * The backends a request can get on this machine without trying them, in `auto`'s order: native ones once built,
 * then wasm and cpu always.
 */
export function installedBackends(): ('tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu')[] {
  const native = NATIVE_ORDER.filter((kind) => nativeMissing(NATIVE[kind].pkg) === null);
  return [...native, 'wasm', 'cpu'];
}

/** The native backend `auto` takes, or null when none is built. */
export function autoNative(): 'tfjs-node' | 'tfjs-node-gpu' | null {
  return NATIVE_ORDER.find((kind) => nativeMissing(NATIVE[kind].pkg) === null) ?? null;
}
