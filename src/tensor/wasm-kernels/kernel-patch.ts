/**
 * A replacement for one stock tfjs-backend-wasm kernel, tied to the version it was written and measured against.
 *
 * The patches lean on that version's internals: the stock kernels' attributes, the backend's `incRef` and
 * `disposeData`, tfjs-core's clone-for-gradient path. The wasm package pins tfjs-core to its own version (its
 * `peerDependencies`), so its version stands for both. When the installed version differs, a patch is skipped with
 * a warning rather than applied: the stock kernel is correct for whatever version is installed and only slower,
 * while a patch over changed internals could return wrong gradients without any error.
 */
export interface KernelPatch {
  /** The tfjs kernel name the patch re-registers. */
  kernel: string;
  /** The @tensorflow/tfjs-backend-wasm version the patch was written for. */
  writtenFor: string;
  apply(backendName: string): void;
}

/**
 * Apply each patch written for `installedVersion` (the wasm package's `version_wasm` export); warn about and skip
 * the others. Returns the names of the kernels patched.
 */
export function applyKernelPatches(
  patches: readonly KernelPatch[],
  backendName: string,
  installedVersion: string,
  warn: (line: string) => void = (line) => console.warn(line),
): string[] {
  const applied: string[] = [];
  for (const patch of patches) {
    if (patch.writtenFor !== installedVersion) {
      warn(
        `tfjs wasm kernel patch ${patch.kernel} was written for @tensorflow/tfjs-backend-wasm ${patch.writtenFor} but ` +
          `${installedVersion} is installed: skipped, the stock ${patch.kernel} kernel runs (correct, maybe slower). ` +
          'Re-check the patch against the new version (src/tensor/wasm-kernels/) and update its version.',
      );
      continue;
    }
    patch.apply(backendName);
    applied.push(patch.kernel);
  }
  return applied;
}
