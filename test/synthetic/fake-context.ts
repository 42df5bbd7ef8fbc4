/** A minimal in-memory StageContext for running stage runners directly in tests. */
import { tableFromFileBytes, tableToFileBytes } from '../../src/tables/arrow-tables.js';
import type { StageContext, StageProgress } from '../../src/stages/stage-definition.js';
import type { Table } from 'apache-arrow';

export interface FakeRun<P> {
  ctx: StageContext<P>;
  /** Written tables as Arrow IPC file bytes, by name. */
  files: Map<string, Uint8Array>;
  progress: StageProgress[];
  table(name: string): Table;
}

export function fakeContext<P>(params: P, seed: number): FakeRun<P> {
  const files = new Map<string, Uint8Array>();
  const progress: StageProgress[] = [];
  const ctx: StageContext<P> = {
    params,
    seed,
    inputs: {},
    output: {
      writeTable: (name, table) => files.set(name, tableToFileBytes(table)),
      writeFile: (name, bytes) => files.set(name, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes),
    },
    partialDir: '/nonexistent/partial',
    resumeToken: undefined,
    backend: 'cpu',
    dataCacheDir: '/nonexistent/cache',
    progress: (p) => progress.push(p),
    log: () => {},
    signal: new AbortController().signal,
    shard: null,
  };
  return {
    ctx,
    files,
    progress,
    table(name) {
      const bytes = files.get(name);
      if (!bytes) throw new Error(`stage wrote no table "${name}" (wrote: ${[...files.keys()].join(', ')})`);
      return tableFromFileBytes(bytes, `${name}.arrow`);
    },
  };
}
