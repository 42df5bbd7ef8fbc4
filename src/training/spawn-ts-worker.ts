/**
 * Start a worker thread on a TypeScript module. Under Node 20, tsx's loader hooks (`node --import tsx`) do not
 * reach worker threads, so `new Worker(url-of-.ts)` fails with ERR_UNKNOWN_FILE_EXTENSION (checked here). The
 * worker therefore starts from a tiny ESM bootstrap that registers tsx (resolved from this package, not from the
 * cwd) and then imports the module. Compiled `.js` modules start directly.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnTsWorker(moduleUrl: URL, options: WorkerOptions): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
