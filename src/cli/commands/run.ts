/** `pam run <pipeline.yaml> [--set k=v]... [--dry-run] [--external-workers | --with-worker] [--force STAGE]...` */
import { loadPipelineConfig, type LoadedPipelineConfig } from '../../config/load-pipeline-config.js';
import { planStages } from '../../contracts/plan.js';
import type { ResolvedStage } from '../../contracts/pipeline-config.js';
import type { StageRow } from '../../contracts/stage-requests.js';
import { cacheKey, type VerifyResult } from '../../store/artifact-store.js';
import { specOf, stageKeyParts } from '../../engine/stage-key-parts.js';
import { FingerprintCache } from '../../store/fingerprints.js';
import type { StageKeyRecord } from '../../store/stage-records.js';
import { keyChangesSinceLastRun } from '../../engine/rerun-reasons.js';
import { stateDir } from '../../paths/project-paths.js';
import { datasetOf, startExperiment } from '../../temporal/experiment-client.js';
import { assertNamespaceReady } from '../../temporal/namespace-setup.js';
import { inProcessTaskQueue, TASK_QUEUE, taskQueuesOf } from '../../temporal/task-queue.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { didYouMean } from '../../util/closest-name.js';
import { parseArgs, onePositional } from '../args.js';
import { formatTable } from '../tables-report.js';
import { formatBytes, totalBytes, type StageEstimate } from '../../stages/stage-plan.js';
import { startInProcessWorker, type InProcessWorker } from '../in-process-worker.js';
import { cliStoreView, follow, openSession, uiLink, type Session } from '../session.js';
import { reportOutcome } from './report-outcome.js';
import { watchQueues } from '../queue-watch.js';

export async function runCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['set', 'force'], ['dry-run', 'external-workers', 'with-worker']);
  const file = onePositional(args, 'pipeline YAML file');
  const loaded = loadPipelineConfig(file, args.options.get('set') ?? []);
  const forced = forcedStages(loaded, args.options.get('force') ?? []);
  // --with-worker: on the shared queues like --external-workers, with this process serving the default one too.
  const withWorker = args.flags.has('with-worker');
  if (withWorker && args.flags.has('external-workers'))
    throw new ConfigError('--with-worker and --external-workers exclude each other: --with-worker also computes here, on the shared queue');
  console.log(`experiment ${loaded.config.experiment} · config hash ${loaded.hash}`);
  if (args.flags.has('dry-run')) {
    console.log(await renderPlan(loaded, new Set(forced)));
    return 0;
  }
  const session = await openSession((line) => console.log(line), { startServer: true });
  const inProcess = loaded.config.runtime.workers === 'in-process' && !args.flags.has('external-workers') && !withWorker;
  let worker: InProcessWorker | undefined;
  let stopWatch = async (): Promise<void> => undefined;
  try {
    await assertNamespaceReady(session.connection, session.temporal.namespace, session.temporal.address);
    // Started (or attached) first, so the in-process worker polls the queue the workflow really runs on.
    const queue = inProcess ? inProcessTaskQueue(loaded.config.experiment) : TASK_QUEUE;
    // External workers poll one queue each (`pam worker --queue gpu`); the in-process worker serves every queue.
    const stageQueues = inProcess ? undefined : taskQueuesOf(loaded.config.stages.map((s) => s.queue));
    const { handle, started, taskQueue } = await startExperiment(session.client, loaded, forced, queue, stageQueues);
    if (inProcess || withWorker) worker = await startInProcessWorker(session, taskQueue);
    else if (taskQueue !== TASK_QUEUE)
      console.warn(
        `note: this run is on task queue ${taskQueue}, which \`pam worker\` does not poll: run it again without --external-workers`,
      );
    console.log(
      `${started ? 'started' : 'attached to running'} workflow ${handle.workflowId} — ${uiLink(session, loaded.config.experiment)}`,
    );
    if (!started && args.options.has('force'))
      console.warn(
        'note: --force was ignored: the experiment is already running (pam retry --stage S --force recomputes a stage of a parked one)',
      );
    if (!inProcess) {
      console.log(
        withWorker ? 'computing here on queue cpu, beside any `pam worker`' : 'waiting for external workers (`pam worker`) to pick it up',
      );
      stopWatch = watchQueues(session.client, stageQueues ?? {}, (line) => console.log(line));
    }
    const outcome = await follow(session, handle);
    const code = await reportOutcome(outcome, session, loaded.config.experiment);
    if (outcome.kind === 'completed') await writeRunReport(session, loaded, outcome.rows);
    return code;
  } finally {
    await stopWatch();
    await worker?.stop();
    await session.close();
  }
}

/**
 * The run's HTML report, committed to the store (src/report/report-artifact.ts) and its path printed. Loaded only
 * here, once a run completed (the chart renderer is not needed before). A report that cannot be written is a
 * warning: the run and its artifacts are complete, and `pam report` can write it later.
 */
async function writeRunReport(session: Session, loaded: LoadedPipelineConfig, rows: StageRow[]): Promise<void> {
  const { writeReport, reportLine } = await import('./report.js');
  try {
    const report = await writeReport(session, { config: loaded.config, configHash: loaded.hash, dataset: datasetOf(loaded), rows });
    console.log(reportLine(report));
  } catch (error) {
    console.warn(
      `warning: the report could not be written (${(error as Error).message}); \`pam report ${loaded.config.experiment}\` retries it`,
    );
  }
}

/** The `--force` stage ids, each checked against the experiment's stages: a typo would otherwise force nothing, silently. */
function forcedStages(loaded: LoadedPipelineConfig, ids: readonly string[]): string[] {
  const known = loaded.config.stages.map((s) => s.id);
  for (const id of ids) {
    if (!known.includes(id)) {
      throw new ConfigError(
        `--force ${id}: experiment ${loaded.config.experiment} has no stage "${id}"${didYouMean(id, known)}; its stages are ${known.join(', ')}`,
      );
    }
  }
  return [...ids];
}

/**
 * The plan with every stage's cache key and whether it is already committed — no server, no network. A stage whose
 * external input is missing (or does not match its declared sha256) has no key yet: the plan says why, and the
 * stages after it show no key either. A stage to compute says why, in the words the run will record: forced, what
 * changed in its key since this experiment last committed it, or never computed.
 */
async function renderPlan(loaded: LoadedPipelineConfig, forced: ReadonlySet<string>): Promise<string> {
  const store = cliStoreView();
  const { records } = store;
  const fingerprints = FingerprintCache.at(stateDir());
  const keys = new Map<string, string>();
  const body: string[][] = [];
  const detail = (line: string) => ['', '', '', '', '', `  ${line}`];
  for (const stage of planStages(loaded.config)) {
    const inputs = Object.entries(stage.inputs)
      .map(([role, id]) => `${role}←${id}`)
      .join(' ');
    const memory = memoryCell(loaded.estimates.get(stage.id));
    const planned = await plannedKey(stage, keys, fingerprints);
    const described = (await specOf(stage.uses).describePlan?.(stage.params as never)) ?? [];
    if (planned.key === undefined) {
      body.push([stage.id, stage.uses, inputs, memory, '?', planned.why], ...[...planned.lines, ...described].map(detail));
      continue;
    }
    keys.set(stage.id, planned.key);
    const state = await store.verify(stage.uses, planned.key);
    // An unreadable stage record only loses the reason here; the run itself warns about it (resolve-stage.ts).
    const reason = planReason(state, forced.has(stage.id), () =>
      keyChangesSinceLastRun(records, loaded.config.experiment, stage.id, planned.record, () => undefined),
    );
    body.push([stage.id, stage.uses, inputs, memory, planned.key.slice(0, 16), reason === undefined ? 'cached' : `to compute (${reason})`]);
    for (const line of described) body.push(detail(line));
  }
  return formatTable(['stage', 'kind', 'inputs', 'memory', 'key', 'state'], body);
}

/** Why the run will compute a stage whose key is known, or undefined when it will be a cache hit. */
function planReason(verdict: VerifyResult, forced: boolean, keyChanges: () => string[]): string | undefined {
  if (verdict.status === 'intact') return forced ? 'forced: --force' : undefined;
  if (verdict.status === 'corrupt') return `damaged: ${verdict.reason}`;
  return keyChanges().join('; ') || 'not computed yet';
}

/** A stage's estimated peak memory (StageSpec.estimate), `≈ 1.2 GiB`; `?` when its sizes are only known once it runs. */
function memoryCell(estimate: StageEstimate | undefined): string {
  const parts = estimate?.memory ?? [];
  return parts.length === 0 ? '?' : `≈ ${formatBytes(totalBytes(parts))}`;
}

/** The stage's key by the engine's own rule (src/engine/stage-key-parts.ts), or why it has none yet. */
async function plannedKey(
  stage: ResolvedStage,
  keys: ReadonlyMap<string, string>,
  fingerprints: FingerprintCache,
): Promise<{ key: string; record: StageKeyRecord } | { key?: undefined; why: string; lines: string[] }> {
  const waiting = Object.values(stage.inputs).filter((id) => !keys.has(id));
  if (waiting.length > 0) return { why: `to compute (key after ${waiting.join(', ')})`, lines: [] };
  const inputKeys = Object.fromEntries(Object.entries(stage.inputs).map(([role, id]) => [role, keys.get(id)!]));
  try {
    const record = await stageKeyParts({ uses: stage.uses, params: stage.params, inputKeys, seed: stage.seed }, fingerprints);
    return { key: cacheKey(record.keyParts), record };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { why: 'cannot run', lines: [error.message] };
  }
}
