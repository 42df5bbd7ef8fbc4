/**
 * The contract between the pipeline engine and a stage's science code.
 *
 * A stage is a pure node in the Kedro sense: it reads its input artifacts, computes, and writes output tables.
 * It knows nothing of Temporal. The engine runs `run()` inside a worker thread (so heavy compute never blocks the
 * Temporal worker's event loop), relays `progress()` to activity heartbeats, and commits the written files as an
 * immutable, hashed artifact. Like a tfjs-layers Layer, a stage declares its config (params schema), its inputs
 * and its outputs in one place: see `StageSpec` in `catalog.ts`.
 */
import type { Table } from 'apache-arrow';

/** A committed artifact this stage reads, resolved by role name (e.g. `dataset`). */
export interface ArtifactInput {
  /** Stage kind that produced it (e.g. `synthesize-b2g`). */
  readonly stage: string;
  /** Cache key (sha256 hex). */
  readonly key: string;
  /** Absolute path of the committed artifact folder. */
  readonly dir: string;
  /** Names of the Arrow tables it holds (file `<name>.arrow`). */
  readonly tables: readonly string[];
  /** The producing stage's summary (small JSON values). */
  readonly summary: Readonly<Record<string, SummaryValue>>;
  /**
   * Read `<name>.arrow`; throws DataValidationError naming the file when absent or incomplete, and
   * InputDamagedError when its bytes differ from the committed ones (src/store/artifact-input.ts).
   */
  readTable(name: string): Table;
  /** Read any other file of the artifact (e.g. `weights/pam.json`), checked against the manifest like a table. */
  readFile(name: string): Uint8Array;
}

/** Where a stage writes its outputs; everything lands in a staging folder committed atomically afterwards. */
export interface ArtifactWriter {
  /** Write `<name>.arrow` (Arrow IPC file format). `name` may contain `/` for sub-folders. */
  writeTable(name: string, table: Table): void;
  /** Write any other file (PNG, JSON weights, binary). */
  writeFile(name: string, bytes: Uint8Array | string): void;
}

export type SummaryValue = number | string | boolean | null;

/** Progress report: drives the CLI's bars and is the activity heartbeat payload. */
export interface StageProgress {
  /** Fraction done, 0..1. */
  fraction: number;
  /** One human line, e.g. `pam epoch 3/20 loss 0.412`. */
  message: string;
  /**
   * Small JSON resume token (e.g. `{ epoch: 3 }`), carried in the heartbeat details; a retried attempt receives
   * the last one as `StageContext.resumeToken`. Bulky state goes to `partialDir`, never here.
   */
  checkpoint?: unknown;
  /**
   * The progress of the stage's parts, by name, when it has parts that advance separately (train: one per decoder;
   * hyperalign and select-voxels: one per area): `pam run` shows a line per part. Absent for other stages, and in
   * heartbeats of workers that predate parts.
   */
  parts?: Record<string, StagePartProgress>;
}

export interface StagePartProgress {
  /** Fraction of this part done, 0..1. */
  fraction: number;
  /** e.g. `epoch 5/30 batch 63/125`. */
  message: string;
}

export interface StageContext<P> {
  /** Validated params of this stage (from the pipeline YAML `with:` block, defaults applied). */
  readonly params: P;
  /** Seed for every random choice this stage makes. */
  readonly seed: number;
  /** Input artifacts by role. */
  readonly inputs: Readonly<Record<string, ArtifactInput>>;
  /** Output writer (staging folder). */
  readonly output: ArtifactWriter;
  /**
   * A folder that survives failed attempts of this same cache key, for checkpoints (weights, optimizer state,
   * finished shards). Deleted by the engine once the artifact is committed.
   */
  readonly partialDir: string;
  /** The `checkpoint` of the last heartbeat of a previous attempt, if any. */
  readonly resumeToken: unknown;
  /** Requested tensor backend (`auto`, `wasm`, `cpu`, ...). */
  readonly backend: string;
  /** Root of the shared download cache (content-addressed). */
  readonly dataCacheDir: string;
  /** Report progress (also the heartbeat). Cheap; call as often as useful. */
  progress(progress: StageProgress): void;
  /** Write a log line (goes to the worker log with the stage name). */
  log(message: string): void;
  /** Aborted when the activity is cancelled; long loops should check it. */
  readonly signal: AbortSignal;
  /**
   * Set when the stage is sharded (its spec declares `shardCount`): this run handles shard `index` of `count`
   * and writes only that shard's outputs. Null for an unsharded stage and for the merge step.
   */
  readonly shard: { index: number; count: number } | null;
}

export interface StageResult {
  /** Small facts shown in `pam status`, the UI and `pam lineage` (row counts, means, backend used). */
  summary: Record<string, SummaryValue>;
}

/** The science side of a stage: what runs inside the compute thread. */
export interface StageRunner<P> {
  /** Unsharded stage: the whole work. Sharded stage: one shard's work (`ctx.shard` set). */
  run(ctx: StageContext<P>): Promise<StageResult>;
  /**
   * Sharded stages only: combine the shard artifacts, given as inputs `shard-0` … `shard-<n-1>` (next to the
   * stage's own inputs), into the stage's final outputs.
   */
  merge?(ctx: StageContext<P>): Promise<StageResult>;
}
