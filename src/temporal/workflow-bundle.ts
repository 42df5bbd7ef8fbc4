/**
 * The workflow bundle, built once per workflow code rather than on every worker start. `Worker.create` with
 * `workflowsPath` runs Temporal's webpack bundler each time (several seconds of a cached rerun, most of it);
 * Temporal's guide recommends prebundling (docs/temporal.md). The bundle is cached under the state folder as
 * `bundles/experiment-<digest>.js`, where the digest covers every TypeScript source of `workflows/` and `src/`
 * (a superset of what the bundle imports, so no change can be missed) and package-lock.json (the SDK's version).
 * Written to an owner-tagged temporary name and renamed (src/store/file-io.ts), so a killed worker never leaves half
 * a bundle under the final name; the leftover sweep removes its temporary file (src/store/leftovers.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { projectRoot } from '../paths/project-paths.js';
import { replaceFileDurably } from '../store/file-io.js';

const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface WorkflowBundle {
  code: string;
}

/** The cached bundle for the current code, built (and cached) when there is none. */
export async function workflowBundle(stateRoot: string, log: (line: string) => void = () => undefined): Promise<WorkflowBundle> {
  const dir = path.join(stateRoot, 'bundles');
  const file = path.join(dir, `experiment-${workflowCodeDigest().slice(0, 20)}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8') };
  const started = Date.now();
  // webpack's module listing is noise to a researcher; its warnings and errors still show.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  mkdirSync(dir, { recursive: true });
  replaceFileDurably(file, code);
  pruneOldBundles(dir);
  log(`workflow bundle built in ${((Date.now() - started) / 1000).toFixed(1)} s (cached as ${path.basename(file)})`);
  return { code };
}

/** Bundles of other code versions kept (newest first), for other checkouts sharing this state folder. */
const KEPT_BUNDLES = 4;

function pruneOldBundles(dir: string): void {
  const bundles = readdirSync(dir)
    .filter((name) => /^experiment-[0-9a-f]+\.js$/.test(name))
    .map((name) => ({ file: path.join(dir, name), mtimeMs: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file } of bundles.slice(KEPT_BUNDLES)) rmSync(file, { force: true });
}

/** sha256 over the relative path and bytes of every .ts file under workflows/ and src/, and package-lock.json. */
export function workflowCodeDigest(root: string = projectRoot()): string {
  const hash = createHash('sha256');
  const files = ['workflows', 'src'].flatMap((top) => tsFilesUnder(root, top)).sort();
  for (const relative of [...files, 'package-lock.json']) {
    hash.update(`${relative}\0`);
    hash.update(readFileSync(path.join(root, relative)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function tsFilesUnder(root: string, relative: string): string[] {
  return readdirSync(path.join(root, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(root, child);
    return entry.name.endsWith('.ts') ? [child] : [];
  });
}
