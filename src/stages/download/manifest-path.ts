/** Manifest paths in params are relative to the repository root, wherever the worker's cwd is. */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function manifestPathOf(manifest: string): string {
  return isAbsolute(manifest) ? manifest : resolve(REPO_ROOT, manifest);
}
