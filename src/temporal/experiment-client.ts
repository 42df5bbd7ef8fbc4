/**
 * Client-side operations on experiments: start (or attach to) the workflow, read its stage table, send
 * `retryStage`. The workflow id is derived from the experiment name, so one name = one auditable history chain.
 */
import { WorkflowIdConflictPolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import type { LoadedPipelineConfig } from '../config/load-pipeline-config.js';
import type { ExperimentInput, RetryStageRequest, StageRow } from '../contracts/stage-requests.js';
import { BLOCKED_STAGE_KEY, CONFIG_HASH_KEY, DATASET_KEY, EXPERIMENT_KEY } from '../../workflows/search-attributes.js';
import { TASK_QUEUE } from './task-queue.js';
import { ConfigError } from '../errors/pipeline-errors.js';

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
}

export async function startExperiment(
  client: Client,
  loaded: LoadedPipelineConfig,
  forceStages: string[] = [],
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
    return { handle: running, started: false };
  }
  const input: ExperimentInput = { config, configHash: hash, forceStages };
  const handle = await client.workflow.start('experiment', {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: EXPERIMENT_KEY, value: config.experiment },
      { key: DATASET_KEY, value: datasetOf(loaded) },
      { key: CONFIG_HASH_KEY, value: hash },
    ],
    staticSummary: `PAM experiment ${config.experiment} · config ${hash.slice(0, 12)} · ${config.stages.map((s) => s.id).join(' → ')}`,
    staticDetails: ['```yaml', JSON.stringify(config, null, 2), '```'].join('\n'),
  });
  return { handle, started: true };
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
}

/** Read an experiment's stage table from its memo: works without any worker running. */
export async function experimentState(client: Client, experiment: string): Promise<ExperimentState> {
  const handle = client.workflow.getHandle(workflowIdOf(experiment));
  const desc = await handle.describe();
  const memo = (desc.memo ?? {}) as { stages?: StageRow[] };
  return {
    workflowId: desc.workflowId,
    runId: desc.runId,
    status: desc.status.name,
    configHash: String(desc.typedSearchAttributes.get(CONFIG_HASH_KEY) ?? ''),
    blockedStage: (desc.typedSearchAttributes.get(BLOCKED_STAGE_KEY) as string | undefined) ?? null,
    stages: memo.stages ?? [],
  };
}

export async function retryExperiment(client: Client, experiment: string, request: RetryStageRequest): Promise<string> {
  return client.workflow.getHandle(workflowIdOf(experiment)).executeUpdate('retryStage', { args: [request] });
}
