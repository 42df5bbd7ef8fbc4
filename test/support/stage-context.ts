/**
 * A StageContext for running a stage runner directly in a test, built on the engine's own pieces: outputs go
 * through the real `StagingArtifact` (with its path guard) in a temp store, a finished run is committed by the real
 * `ArtifactStore.commit` (manifest with sha256, rename), and inputs are read by the real `openArtifactInput`, as
 * src/engine/compute-thread.ts and src/engine/execute-stage.ts do. Each context gets its own store, so two runs with
 * equal cache keys (a straight and a resumed run) never share a committed artifact.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import type { ArtifactInput, StageContext, StageProgress, SummaryValue } from '../../src/stages/stage-definition.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { ArtifactStore, localProducer, type StagingArtifact } from '../../src/store/artifact-store.js';
import { tableFromFileBytes } from '../../src/tables/arrow-tables.js';

export interface TestStageContext<P> extends StageContext<P> {
  readonly output: StagingArtifact;
  /** The temp store whose staging folder `output` writes to. */
  readonly store: ArtifactStore;
  readonly progressReports: StageProgress[];
  readonly logs: string[];
  readonly startedAt: Date;
}

export interface StageContextOptions<P> {
  params: P;
  /** Default 0; a test whose stage draws random numbers states its seed. */
  seed?: number;
  inputs?: Record<string, ArtifactInput>;
  /** Default: a not yet existing folder in the temp store, as the engine hands out. */
  partialDir?: string;
  resumeToken?: unknown;
  /** Default `cpu`; a test whose stage initialises a tensor backend states it. */
  backend?: string;
  /** Default: a not yet existing folder in the temp store. */
  dataCacheDir?: string;
  shard?: { index: number; count: number } | null;
  /** Called after each report is recorded; `abort` aborts `ctx.signal`, as a cancelled activity does. */
  onProgress?: (progress: StageProgress, abort: AbortController) => void;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function stageContext<P>(options: StageContextOptions<P>): TestStageContext<P> {
  const store = new ArtifactStore(tempDir('pam-test-store-'));
  const progressReports: StageProgress[] = [];
  const logs: string[] = [];
  const abort = new AbortController();
  return {
    params: options.params,
    seed: options.seed ?? 0,
    inputs: options.inputs ?? {},
    output: store.createStaging('test', 'run'),
    partialDir: options.partialDir ?? join(store.root, 'partial'),
    resumeToken: options.resumeToken,
    backend: options.backend ?? 'cpu',
    dataCacheDir: options.dataCacheDir ?? join(store.root, 'cache'),
    progress(progress) {
      progressReports.push(progress);
      options.onProgress?.(progress, abort);
    },
    log: (message) => void logs.push(message),
    signal: abort.signal,
    shard: options.shard ?? null,
    store,
    progressReports,
    logs,
    startedAt: new Date(),
  };
}

/**
 * Commit a finished run's staging folder as an artifact of `stage` and open it as the next stage's input, the way
 * the engine chains stages. The staging folder is gone afterwards: read outputs from the returned input.
 */
export async function commitOutput(
  ctx: TestStageContext<unknown>,
  stage: string,
  summary: Record<string, SummaryValue> = {},
): Promise<ArtifactInput> {
  const roles = Object.entries(ctx.inputs);
  const { dir } = await ctx.store.commit(ctx.output, {
    keyParts: {
      stage,
      codeVersion: 'test',
      params: ctx.params,
      inputKeys: Object.fromEntries(roles.map(([role, input]) => [role, input.key])),
      seed: ctx.seed,
      ...(ctx.shard ? { shard: ctx.shard } : {}),
    },
    inputs: Object.fromEntries(roles.map(([role, input]) => [role, { stage: input.stage, key: input.key }])),
    summary,
    startedAt: ctx.startedAt,
    producer: localProducer(),
  });
  return openArtifactInput(dir);
}

/** An input artifact of `stage` holding these tables, written and committed through the real store. */
export async function inputArtifact(stage: string, tables: ReadonlyMap<string, Table> | Record<string, Table>): Promise<ArtifactInput> {
  const ctx = stageContext({ params: {} });
  for (const [name, table] of tables instanceof Map ? tables : Object.entries(tables)) ctx.output.writeTable(name, table);
  return commitOutput(ctx, stage);
}

/** A table the run wrote (`<name>.arrow` in its staging folder), before any commit. */
export function writtenTable(ctx: TestStageContext<unknown>, name: string): Table {
  const file = join(ctx.output.dir, `${name}.arrow`);
  return tableFromFileBytes(readFileSync(file), file);
}

/** Every table of an artifact, by name. */
export function tablesOf(input: ArtifactInput): Map<string, Table> {
  return new Map(input.tables.map((name) => [name, input.readTable(name)]));
}
