/**
 * Client-side operations on experiments: start (or attach to) the workflow, read its stage table, send
 * `retryStage`. The workflow id is derived from the experiment name, so one name = one auditable history chain.
 */
import {
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { LoadedPipelineConfig } from '../config/load-pipeline-config.js';
import type { ExperimentInput, RetryStageRequest, StageRow } from '../contracts/stage-requests.js';
import { BLOCKED_STAGE_KEY, CONFIG_HASH_KEY, DATASET_KEY, EXPERIMENT_KEY } from '../../workflows/search-attributes.js';
import { ConfigError } from '../errors/pipeline-errors.js';
import { didYouMean } from '../util/closest-name.js';

/** Temporal's user-metadata limits: summary 200 bytes, details 20 KB (docs.temporal.io "Enriching the user interface"). */
const SUMMARY_MAX_BYTES = 200;
const DETAILS_MAX_BYTES = 20_000;

/** `text` cut to at most `maxBytes` of UTF-8, `marker` included, when it is longer. */
export function clipBytes(text: string, maxBytes: number, marker: string): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(marker);
  let end = room;
  while (end > 0 && Buffer.byteLength(text.slice(0, end)) > room) end = Math.floor(end * 0.9);
  return text.slice(0, end) + marker;
}

export function workflowIdOf(experiment: string): string {
  return `pam-experiment-${experiment}`;
}

/** The data source(s) of an experiment: the kinds of its stages that have no inputs. */
export function datasetOf(loaded: LoadedPipelineConfig): string {
  return loaded.config.stages
    .filter((s) => Object.keys(s.inputs).length === 0)
    .map((s) => s.uses)
    .join('+');
}

export interface StartedExperiment {
  handle: WorkflowHandle;
  /** False when a run with the same config was already in progress and we attached to it. */
  started: boolean;
  /** The task queue the workflow runs on: the one asked for, or the running workflow's when attached. */
  taskQueue: string;
}

/**
 * Start the experiment's workflow on `taskQueue` (the shared TASK_QUEUE for external workers, or the experiment's
 * own `inProcessTaskQueue`), or attach to the run in progress, wherever it runs.
 */
export async function startExperiment(
  client: Client,
  loaded: LoadedPipelineConfig,
  forceStages: string[],
  taskQueue: string,
  /** Where each config queue's compute goes (absent: all on `taskQueue`, as for the in-process worker). */
  taskQueues?: Record<string, string>,
): Promise<StartedExperiment> {
  const { config, hash } = loaded;
  const workflowId = workflowIdOf(config.experiment);
  const running = await runningExperiment(client, workflowId);
  if (running) {
    const desc = await running.describe();
    const runningHash = desc.typedSearchAttributes.get(CONFIG_HASH_KEY);
    if (runningHash !== hash) {
      throw new ConfigError(
        `experiment "${config.experiment}" is already running with config ${String(runningHash).slice(0, 12)}, not ${hash.slice(0, 12)}: ` +
          `wait for it, cancel it (temporal workflow cancel -w ${workflowId}), or give this config another experiment name`,
      );
    }
    return { handle: running, started: false, taskQueue: desc.taskQueue };
  }
  const input: ExperimentInput = { config, configHash: hash, forceStages, ...(taskQueues ? { taskQueues } : {}) };
  const handle = await client.workflow.start('experiment', {
    taskQueue,
    workflowId,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: EXPERIMENT_KEY, value: config.experiment },
      { key: DATASET_KEY, value: datasetOf(loaded) },
      { key: CONFIG_HASH_KEY, value: hash },
    ],
    staticSummary: clipBytes(
      `PAM experiment ${config.experiment} · config ${hash.slice(0, 12)} · ${config.stages.map((s) => s.id).join(' → ')}`,
      SUMMARY_MAX_BYTES,
      ' …',
    ),
    staticDetails: [
      '```yaml',
      clipBytes(JSON.stringify(config, null, 2), DETAILS_MAX_BYTES - 16, '\n… (cut: the whole config is the workflow input)'),
      '```',
    ].join('\n'),
  });
  return { handle, started: true, taskQueue };
}

async function runningExperiment(client: Client, workflowId: string): Promise<WorkflowHandle | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const desc = await handle.describe();
    return desc.status.name === 'RUNNING' ? handle : undefined;
  } catch {
    return undefined;
  }
}

export interface ExperimentState {
  workflowId: string;
  runId: string;
  status: string;
  configHash: string;
  blockedStage: string | null;
  stages: StageRow[];
  /** Where its workflow and activity tasks go: a retry's in-process worker polls it. */
  taskQueue: string;
}

/** Read an experiment's stage table from its memo: works without any worker running. */
export async function experimentState(client: Client, experiment: string): Promise<ExperimentState> {
  const handle = client.workflow.getHandle(workflowIdOf(experiment));
  const desc = await handle.describe().catch((error: unknown) => rethrowUnknownExperiment(client, experiment, error));
  const memo = (desc.memo ?? {}) as { stages?: StageRow[] };
  return {
    workflowId: desc.workflowId,
    runId: desc.runId,
    status: desc.status.name,
    configHash: String(desc.typedSearchAttributes.get(CONFIG_HASH_KEY) ?? ''),
    blockedStage: (desc.typedSearchAttributes.get(BLOCKED_STAGE_KEY) as string | undefined) ?? null,
    stages: memo.stages ?? [],
    taskQueue: desc.taskQueue,
  };
}

/** Send `retryStage`; the workflow's refusal (not parked, no such stage) is a ConfigError in its words. */
export async function retryExperiment(client: Client, experiment: string, request: RetryStageRequest): Promise<string> {
  try {
    return await client.workflow.getHandle(workflowIdOf(experiment)).executeUpdate('retryStage', { args: [request] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw new ConfigError(error.cause?.message ?? error.message, { cause: error });
    return rethrowUnknownExperiment(client, experiment, error);
  }
}

/** Experiments the server holds workflows of, by their `PamExperiment` search attribute (at most `limit` runs read). */
export async function knownExperiments(client: Client, limit = 1000): Promise<string[]> {
  const names = new Set<string>();
  let read = 0;
  for await (const run of client.workflow.list({ query: `${EXPERIMENT_KEY.name} IS NOT NULL` })) {
    const name = run.typedSearchAttributes.get(EXPERIMENT_KEY);
    if (name) names.add(name);
    if (++read >= limit) break;
  }
  return [...names].sort();
}

/** A workflow-not-found error becomes "no experiment named X" with the known names (bad input); others pass. */
async function rethrowUnknownExperiment(client: Client, experiment: string, error: unknown): Promise<never> {
  if (!(error instanceof WorkflowNotFoundError)) throw error;
  const known = await knownExperiments(client);
  throw new ConfigError(
    `no experiment named "${experiment}"${didYouMean(experiment, known)}; ` +
      (known.length
        ? `experiments on this server: ${known.join(', ')}`
        : 'this server has no experiments yet (start one with `pam run <pipeline.yaml>`)'),
    { cause: error },
  );
}
