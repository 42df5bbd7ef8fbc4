/**
 * Start a worker thread on src/threads/thread-entry, which then imports the thread module. Under Node 20 tsx's
 * loader hooks (`node --import tsx`) do not reach worker threads, so `new Worker(url-of-.ts)` fails with
 * ERR_UNKNOWN_FILE_EXTENSION; when the entry or the module is TypeScript the thread starts from a tiny ESM
 * bootstrap that registers tsx (`tsx/esm/api` `register`, resolved from this package, not from the cwd) before
 * importing the entry. Compiled `.js`/`.mjs` modules start directly.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ThreadStart } from './thread-protocol.js';

/** `relative` (no extension) beside `base` (an `import.meta.url`), with base's extension: `.ts` from source, `.js` compiled. */
export function moduleBeside(relative: string, base: string): URL {
  return new URL(`${relative}${extname(fileURLToPath(base))}`, base);
}

const ENTRY = moduleBeside('./thread-entry', import.meta.url);

const isTypeScript = (url: URL): boolean => /\.[cm]?ts$/.test(url.pathname);

export function spawnThread(module: URL, name: string): Worker {
  const workerData: ThreadStart = { module: module.href, name };
  if (!isTypeScript(ENTRY) && !isTypeScript(module)) return new Worker(ENTRY, { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
