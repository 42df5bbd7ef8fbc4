/** A StageContext over temporary folders, for running stage runners directly in tests. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArtifactInput, StageContext, StageProgress } from '../../src/stages/stage-definition.js';
import { tableFromFileBytes, tableToFileBytes } from '../../src/tables/arrow-tables.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An artifact input reading the `.arrow` files of `dir`. */
export function artifactFromDir(stage: string, dir: string): ArtifactInput {
  const tables = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.arrow'))
        .map((f) => f.slice(0, -6))
    : [];
  return {
    stage,
    key: `test-${stage}`,
    dir,
    tables,
    summary: {},
    readTable: (name) => tableFromFileBytes(readFileSync(join(dir, `${name}.arrow`)), join(dir, `${name}.arrow`)),
    filePath: (name) => join(dir, name),
  };
}

export interface FakeContext<P> extends StageContext<P> {
  outputDir: string;
  logs: string[];
  progressReports: StageProgress[];
}

export function fakeContext<P>(options: {
  params: P;
  inputs?: Record<string, ArtifactInput>;
  partialDir?: string;
  shard?: { index: number; count: number } | null;
  signal?: AbortSignal;
  onProgress?: (progress: StageProgress) => void;
  seed?: number;
}): FakeContext<P> {
  const outputDir = tempDir('pam-stage-out-');
  const logs: string[] = [];
  const progressReports: StageProgress[] = [];
  return {
    params: options.params,
    seed: options.seed ?? 1,
    inputs: options.inputs ?? {},
    output: {
      writeTable(name, table) {
        const path = join(outputDir, `${name}.arrow`);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, tableToFileBytes(table));
      },
      writeFile(name, bytes) {
        const path = join(outputDir, name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bytes);
      },
    },
    partialDir: options.partialDir ?? tempDir('pam-partial-'),
    resumeToken: undefined,
    backend: 'wasm',
    dataCacheDir: tmpdir(),
    progress(progress) {
      progressReports.push(progress);
      options.onProgress?.(progress);
    },
    log: (message) => logs.push(message),
    signal: options.signal ?? new AbortController().signal,
    shard: options.shard ?? null,
    outputDir,
    logs,
    progressReports,
  };
}
