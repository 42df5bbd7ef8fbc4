/** A minimal StageContext for running stage runners directly in tests (outputs land in a temp folder). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArtifactInput, StageContext, StageProgress, SummaryValue } from '../../../src/stages/stage-definition.js';
import { tableFromFileBytes, tableToFileBytes } from '../../../src/tables/arrow-tables.js';
import { tempDir } from './helpers.js';

export interface FakeContext<P> extends StageContext<P> {
  outputDir: string;
  progressLog: StageProgress[];
}

export function fakeContext<P>(params: P, dataCacheDir: string, inputs: Record<string, ArtifactInput> = {}): FakeContext<P> {
  const outputDir = tempDir('pam-stage-out-');
  const progressLog: StageProgress[] = [];
  const write = (name: string, bytes: Uint8Array | string) => {
    mkdirSync(dirname(join(outputDir, name)), { recursive: true });
    writeFileSync(join(outputDir, name), bytes);
  };
  return {
    params,
    seed: 1,
    inputs,
    partialDir: tempDir('pam-partial-'),
    resumeToken: undefined,
    backend: 'cpu',
    dataCacheDir,
    output: { writeTable: (name, table) => write(`${name}.arrow`, tableToFileBytes(table)), writeFile: write },
    progress: (p) => void progressLog.push(p),
    log: () => undefined,
    signal: new AbortController().signal,
    shard: null,
    outputDir,
    progressLog,
  };
}

/** Present a finished fake run's outputs as an input artifact of the next stage. */
export function asInput(
  stage: string,
  ctx: FakeContext<unknown>,
  tables: string[],
  summary: Record<string, SummaryValue> = {},
): ArtifactInput {
  return {
    stage,
    key: 'test',
    dir: ctx.outputDir,
    tables,
    summary,
    readTable: (name) => tableFromFileBytes(readFileSync(join(ctx.outputDir, `${name}.arrow`)), join(ctx.outputDir, `${name}.arrow`)),
    filePath: (name) => join(ctx.outputDir, name),
  };
}
