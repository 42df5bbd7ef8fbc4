/**
 * One fault scenario's world: its own PAM_HOME (so no scenario sees another's cache) on the suite's shared dev
 * server, external `pam worker` processes it starts, SIGKILLs and restarts, `pam run` processes, kills of the
 * server itself, and the record of every fault with what was durable on disk at that instant.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StageRow } from '../../src/contracts/stage-requests.js';
import { waitFor, workerPolling, type TestWorld } from '../support/test-world.js';
import { DECODERS, faultPipeline, type Workers } from './fault-pipeline.js';
import type { StoreReport } from './verify-store.js';

export type PamProcess = ReturnType<TestWorld['spawnPam']>;

export interface FaultRecord {
  target: 'worker' | 'server' | 'pam run' | 'disk';
  /** When and where it hit, in words (`mid-epoch 3`, `artifact-staged:train`, `60 s outage`). */
  moment: string;
  at: number;
  /** Per decoder, the newest checkpointed epoch intact on disk when the fault hit (train faults only). */
  durable?: Record<string, number>;
  /** Checkpoints this fault damaged on purpose: resuming may fall back that many intervals. */
  damagedCheckpoints?: number;
}

/** A checkpoint write the watcher saw: `checkpoint.json` of `<decoder>/epoch-<n>/` with its mtime. */
interface CheckpointWrite {
  decoder: string;
  epoch: number;
  mtimeMs: number;
}

const CHECKPOINT = /^epoch-(\d+)$/;

/** What a scenario module declares; test/faults/fault-suite.test.ts runs it and judges the outcome. */
export interface ScenarioPlan {
  name: string;
  /** The faults it injects, in words, for the table. */
  faults: string;
  workers: Workers;
  /** Stage kinds whose clean artifacts it starts from, so its faults hit where they matter without recomputing. */
  seed?: string[];
  /** Start `pam run` and workers, inject the faults; returns once the last `pam run` is started. */
  drive(s: FaultScenario, clean: CleanRun): Promise<unknown>;
  /** Further promises of this scenario, as problems (none: kept). */
  check?(s: FaultScenario, report: StoreReport): string[];
}

export interface CleanRun {
  home: string;
  report: StoreReport;
}

export class FaultScenario {
  readonly home: string;
  readonly experiment: string;
  readonly pipeline: string;
  readonly faults: FaultRecord[] = [];
  readonly notes: string[] = [];
  readonly checkpointWrites: CheckpointWrite[] = [];
  private readonly workers = new Set<PamProcess>();
  /** Every worker this scenario started, live or not, for the failure report. */
  private readonly startedWorkers: PamProcess[] = [];
  private readonly seen = new Map<string, number>();
  private readonly watcher: NodeJS.Timeout;
  run: PamProcess | undefined;

  /** Uniform in [0, 1), seeded (the suite prints the seed), for the moments of "random" kills. */
  readonly random: () => number;

  constructor(
    readonly world: TestWorld,
    readonly name: string,
    readonly workersMode: Workers,
    seed: number,
  ) {
    this.random = mulberry32(seed);
    this.experiment = `fault-${name}`;
    this.home = path.join(world.home, 'scenarios', name);
    mkdirSync(this.home, { recursive: true });
    this.pipeline = world.writePipeline(`${this.experiment}.yaml`, faultPipeline(this.experiment, workersMode));
    this.watcher = setInterval(() => this.watchCheckpoints(), 40);
  }

  private get env(): NodeJS.ProcessEnv {
    return { PAM_HOME: this.home };
  }

  /** Copy committed artifacts of `stages` (kinds) from another home, so the scenario starts where a fault matters. */
  seedFrom(home: string, stages: string[]): void {
    for (const stage of stages) cpSync(path.join(home, 'artifacts', stage), path.join(this.home, 'artifacts', stage), { recursive: true });
  }

  /** `pam worker` for this home; `fault` sets PAM_THREAD_FAULT (src/threads/thread-faults.ts) for it alone. */
  startWorker(fault?: string): PamProcess {
    const worker = this.world.spawnPam(['worker'], { ...this.env, PAM_THREAD_FAULT: fault ?? '' });
    this.workers.add(worker);
    this.startedWorkers.push(worker);
    void worker.exited.then(() => this.workers.delete(worker));
    return worker;
  }

  /** Resolves once `worker` has built its workflow bundle and polls (src/cli/commands/worker.ts prints that). */
  async polling(worker: PamProcess): Promise<void> {
    await workerPolling(worker, `${this.name}: worker polling`);
  }

  /** The output of every worker this scenario started. */
  workerOutputs(): string[] {
    return this.startedWorkers.map((w) => w.out());
  }

  startRun(): PamProcess {
    this.run = this.world.spawnPam(['run', this.pipeline], this.env);
    return this.run;
  }

  /** The stage table from the workflow memo (works without a worker); empty while the server is away. */
  async rows(): Promise<StageRow[]> {
    const handle = this.world.client.workflow.getHandle(`pam-experiment-${this.experiment}`);
    return (((await handle.describe()).memo ?? {}) as { stages?: StageRow[] }).stages ?? [];
  }

  async waitForStage(stageId: string, statuses: StageRow['status'][], timeoutMs = 120_000): Promise<void> {
    await waitFor(
      `${this.experiment}: ${stageId} ${statuses.join('|')}`,
      async () => ((await this.rows()).some((r) => r.id === stageId && statuses.includes(r.status)) ? true : undefined),
      timeoutMs,
    );
  }

  /** Wait until some decoder has an intact checkpoint of at least `epoch`, then `jitterMs` more. */
  async waitForCheckpoint(epoch: number, jitterMs = 0, timeoutMs = 120_000): Promise<void> {
    await waitFor(
      `${this.experiment}: a checkpoint of epoch ≥ ${epoch}`,
      async () => (Math.max(0, ...Object.values(this.durableEpochs())) >= epoch ? true : undefined),
      timeoutMs,
    );
    await sleep(jitterMs);
  }

  /** SIGKILL the live worker now, then start a fresh one (returned). */
  async killWorker(moment: string): Promise<PamProcess> {
    const [worker] = [...this.workers];
    if (!worker) throw new Error(`${this.name}: no live worker to kill at ${moment}`);
    const running = (await this.rows().catch(() => [])).filter((r) => r.status === 'running').map((r) => r.id);
    worker.child.kill('SIGKILL');
    await worker.exited;
    this.record('worker', `${moment}${running.length > 0 ? ` (${running.join(', ')} running)` : ''}`);
    return this.startWorker();
  }

  /**
   * A worker started with a `kill` fault: wait until it killed itself there, run `meanwhile` (e.g. damage a file
   * while no worker runs), then start a fresh one (returned) with the fault `next`, if any.
   */
  async workerKilledAt(
    worker: PamProcess,
    point: string,
    options: { meanwhile?: () => Partial<FaultRecord> | undefined; next?: string } = {},
  ): Promise<PamProcess> {
    const timer = setTimeout(() => worker.child.kill('SIGKILL'), 120_000);
    const code = await worker.exited;
    clearTimeout(timer);
    if (code !== null) this.notes.push(`worker exited with code ${code} instead of dying at ${point}: ${tail(worker.out())}`);
    const fault = this.record('worker', point);
    Object.assign(fault, options.meanwhile?.());
    return this.startWorker(options.next);
  }

  /**
   * Start a worker that SIGKILLs itself at fault point `point` (`<name>[@<n>]`, src/threads/thread-faults.ts), start
   * `pam run`, and wait for the kill; `options` as for workerKilledAt. Returns the fresh worker started after it.
   */
  async killWorkerAt(point: string, options: Parameters<FaultScenario['workerKilledAt']>[2] = {}): Promise<PamProcess> {
    const worker = this.startWorker(`${point}=kill`);
    this.startRun();
    const [name, pass] = point.split('@');
    return this.workerKilledAt(worker, pass ? `${name} (pass ${pass})` : name!, options);
  }

  /** SIGKILL the Temporal server, keep it away for `outageMs`, restart it on the same DB file and port. */
  async killServer(moment: string, outageMs: number): Promise<void> {
    const record = JSON.parse(readFileSync(path.join(this.world.home, 'temporal', 'server.json'), 'utf8')) as { pid: number };
    process.kill(record.pid, 'SIGKILL');
    this.record('server', `${moment}, ${Math.round(outageMs / 1000)} s outage`);
    await sleep(outageMs);
    await this.world.restartServer();
  }

  /** SIGKILL `pam run` (and with it an in-process worker), then start it again: it must attach. */
  async killRun(moment: string): Promise<void> {
    const run = this.run!;
    run.child.kill('SIGKILL');
    await run.exited;
    this.record('pam run', moment);
    this.startRun();
  }

  record(target: FaultRecord['target'], moment: string, extra: Partial<FaultRecord> = {}): FaultRecord {
    // Only a fault that ends the attempt makes training resume: a dead worker, or `pam run` hosting it.
    const endsAttempt = target === 'worker' || (target === 'pam run' && this.workersMode === 'in-process');
    const fault: FaultRecord = { target, moment, at: Date.now(), ...(endsAttempt && { durable: this.durableEpochs() }), ...extra };
    this.faults.push(fault);
    return fault;
  }

  /** The train key's checkpoint folder (one per key; the scenario runs one train key). */
  trainPartialDir(): string | undefined {
    const root = path.join(this.home, 'partial', 'train');
    const [key] = listDirs(root);
    return key ? path.join(root, key) : undefined;
  }

  /** Per decoder, the newest epoch whose checkpoint has its manifest (what a resume may use, if intact). */
  durableEpochs(): Record<string, number> {
    const dir = this.trainPartialDir();
    const out: Record<string, number> = {};
    for (const decoder of DECODERS) {
      const epochs = checkpointFolders(dir ? path.join(dir, decoder) : undefined).filter((c) => c.complete);
      if (epochs.length > 0) out[decoder] = Math.max(...epochs.map((c) => c.epoch));
    }
    return out;
  }

  private watchCheckpoints(): void {
    const dir = this.trainPartialDir();
    if (!dir) return;
    for (const decoder of DECODERS) {
      for (const { epoch, complete, manifest } of checkpointFolders(path.join(dir, decoder))) {
        if (!complete) continue;
        const mtimeMs = statSync(manifest, { throwIfNoEntry: false })?.mtimeMs;
        if (mtimeMs === undefined || this.seen.get(manifest) === mtimeMs) continue;
        this.seen.set(manifest, mtimeMs);
        this.checkpointWrites.push({ decoder, epoch, mtimeMs });
      }
    }
  }

  /**
   * Completed epochs each train fault made the pipeline do again: a checkpoint of an epoch that was already
   * durable when the fault hit, written again after it (the lowest such epoch counts from where training resumed).
   */
  repeatedEpochs(fault: FaultRecord): number {
    let worst = 0;
    for (const [decoder, durable] of Object.entries(fault.durable ?? {})) {
      const rewritten = this.checkpointWrites.filter((w) => w.decoder === decoder && w.mtimeMs > fault.at && w.epoch <= durable);
      if (rewritten.length > 0) worst = Math.max(worst, durable - Math.min(...rewritten.map((w) => w.epoch)) + 1);
    }
    return worst;
  }

  /**
   * Stop the watcher, SIGTERM every worker still running (they drain within their shutdown grace), SIGKILL a
   * `pam run` still running, and terminate the workflow if it still runs: workers of later scenarios share its
   * task queue and must never pick up its tasks.
   */
  async close(): Promise<void> {
    clearInterval(this.watcher);
    const live = [...this.workers];
    for (const worker of live) worker.child.kill('SIGTERM');
    this.run?.child.kill('SIGKILL');
    await Promise.all([...live.map((w) => w.exited), this.run?.exited]);
    const handle = this.world.client.workflow.getHandle(`pam-experiment-${this.experiment}`);
    const status = await handle.describe().then(
      (d) => d.status.name,
      () => undefined,
    );
    if (status === 'RUNNING') await handle.terminate(`fault scenario ${this.name} ended`);
  }
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name] : []));
  } catch {
    return [];
  }
}

/** `epoch-<n>/` folders (src/training/checkpoint.ts), complete when their checkpoint.json exists. */
function checkpointFolders(dir: string | undefined): { epoch: number; complete: boolean; manifest: string }[] {
  if (!dir) return [];
  return listDirs(dir).flatMap((name) => {
    const match = CHECKPOINT.exec(name);
    if (!match) return [];
    const manifest = path.join(dir, name, 'checkpoint.json');
    return [{ epoch: Number(match[1]), complete: statSync(manifest, { throwIfNoEntry: false }) !== undefined, manifest }];
  });
}

/** The last lines of a process's output, on one line, for a table cell. */
export const tail = (text: string): string => text.trim().split('\n').slice(-3).join(' ⏎ ').slice(-300);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32 (Tommy Ettinger's 32-bit generator): a few lines, good enough to spread kill moments. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
