/** In-memory StageContext for running stage runners directly in tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../../src/errors/pipeline-errors.js';
import type { ArtifactInput, StageContext, StageProgress } from '../../src/stages/stage-definition.js';

export interface FakeRun<P> {
  ctx: StageContext<P>;
  tables: Map<string, Table>;
  progress: StageProgress[];
}

export function artifactOf(stage: string, tables: ReadonlyMap<string, Table>): ArtifactInput {
  return {
    stage,
    key: `${stage}-test`,
    dir: `/memory/${stage}`,
    tables: [...tables.keys()],
    summary: {},
    readTable(name) {
      const table = tables.get(name);
      if (!table) throw new DataValidationError(`/memory/${stage}/${name}.arrow: no such table`);
      return table;
    },
    filePath: (name) => `/memory/${stage}/${name}`,
  };
}

export function fakeContext<P>(
  params: P,
  inputs: Record<string, ArtifactInput> = {},
  options: { seed?: number; partialDir?: string; resumeToken?: unknown } = {},
): FakeRun<P> {
  const tables = new Map<string, Table>();
  const progress: StageProgress[] = [];
  const ctx: StageContext<P> = {
    params,
    seed: options.seed ?? 1,
    inputs,
    output: {
      writeTable: (name, table) => void tables.set(name, table),
      writeFile: () => {
        throw new Error('these stages write tables only');
      },
    },
    partialDir: options.partialDir ?? join(mkdtempSync(join(tmpdir(), 'pam-fmri-')), 'partial'),
    resumeToken: options.resumeToken ?? null,
    backend: 'cpu',
    dataCacheDir: tmpdir(),
    progress: (p) => void progress.push(p),
    log: () => {},
    signal: new AbortController().signal,
    shard: null,
  };
  return { ctx, tables, progress };
}
