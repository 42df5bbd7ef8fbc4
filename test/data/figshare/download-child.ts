/**
 * A stand-in worker process for the kill test: downloads one file into a data cache and prints `bytes <n>` as the
 * data arrives. Usage: node --import tsx test/data/figshare/download-child.ts '<json {apiBaseUrl, storageHost, cacheRoot, file}>'
 */
import { DataCache } from '../../../src/data/cache/data-cache.js';
import { FigshareClient } from '../../../src/data/figshare/figshare-client.js';
import type { FigshareFile } from '../../../src/data/figshare/figshare-file.js';

const args = JSON.parse(process.argv[2]!) as { apiBaseUrl: string; storageHost: string; cacheRoot: string; file: FigshareFile };
const client = new FigshareClient({ apiBaseUrl: args.apiBaseUrl, allowedHosts: [args.storageHost], requestsPerSecond: 1000 });
await new DataCache(args.cacheRoot).fetch(
  client,
  args.file,
  { articleId: 1, version: null },
  {
    onProgress: (bytes) => process.stdout.write(`bytes ${bytes}\n`),
  },
);
process.stdout.write('done\n');
