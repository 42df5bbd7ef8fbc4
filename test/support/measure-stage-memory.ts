/**
 * Runs one stage runner in this fresh process and prints how much its run raised the process's peak memory, for
 * checking a spec's `estimate` against reality (test/training/train-memory-estimate.test.ts). A fresh process, so
 * no freed memory of the test's own setup is reused and hides the stage's allocations; the peak is
 * `process.resourceUsage().maxRSS` (the kernel's high-water mark, threads included) over the RSS just before the run.
 *
 * Usage: node --import tsx test/support/measure-stage-memory.ts <kind> <params JSON> <role>=<artifact dir>...
 * Prints one JSON line: `{ "peakBytes": n, "seconds": s }`.
 */
import { resourceUsage } from 'node:process';
import { stageCatalog } from '../../src/stages/catalog.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { stageContext } from './stage-context.js';

const [kind, paramsJson, ...inputArgs] = process.argv.slice(2);
const spec = stageCatalog.get(kind ?? '');
if (!spec || paramsJson === undefined) throw new Error('usage: measure-stage-memory.ts <kind> <params JSON> <role>=<dir>...');
const inputs = Object.fromEntries(
  inputArgs.map((arg) => {
    const [role, dir] = arg.split('=') as [string, string];
    return [role, openArtifactInput(dir)];
  }),
);
const runner = await spec.loadRunner();
const ctx = stageContext({ params: spec.params.parse(JSON.parse(paramsJson)), seed: 1, backend: 'wasm', inputs });
const before = process.memoryUsage().rss;
const started = Date.now();
await runner.run(ctx);
const peakBytes = resourceUsage().maxRSS * 1024 - before;
console.log(JSON.stringify({ peakBytes, seconds: (Date.now() - started) / 1000 }));
