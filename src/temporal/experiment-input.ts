/**
 * What an experiment's workflow was started with: the resolved config and its hash, read from the first event of
 * its history (the `WorkflowExecutionStarted` input), so a client that did not start the run — `pam report` on
 * another machine — reports the config that really ran. One page of one event: the rest of the history is not read.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { ResolvedPipelineConfig } from '../contracts/pipeline-config.js';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { DATASET_KEY } from '../../workflows/search-attributes.js';
import { workflowIdOf } from './experiment-client.js';

/** The parts of the input a reader relies on; the rest of the config passes through as recorded. */
const startedInput = z
  .object({
    configHash: z.string(),
    config: z
      .object({
        experiment: z.string(),
        description: z.string(),
        seed: z.number(),
        stages: z.array(z.object({ id: z.string(), uses: z.string(), inputs: z.record(z.string(), z.string()) }).passthrough()),
      })
      .passthrough(),
  })
  .passthrough();

export interface StartedExperiment {
  config: ResolvedPipelineConfig;
  configHash: string;
  /** The `PamDataset` search attribute: the experiment's data source(s). */
  dataset: string;
}

/** The input of the experiment's run `runId` (its latest, as `experimentState` reads it). */
export async function startedExperiment(client: Client, experiment: string, runId: string): Promise<StartedExperiment> {
  const workflowId = workflowIdOf(experiment);
  const history = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const payload = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const where = `workflow ${workflowId} run ${runId}`;
  if (!payload) throw new DataValidationError(`${where}: its history has no start event with an input`);
  const input = client.options.loadedDataConverter.payloadConverter.fromPayload(payload);
  const parsed = startedInput.safeParse(input);
  if (!parsed.success)
    throw new DataValidationError(`${where}: its input is not an experiment config (${parsed.error.issues[0]?.message})`);
  const described = await client.workflow.getHandle(workflowId, runId).describe();
  // The value as recorded, not zod's output: zod puts declared keys first, and the report shows the config in its own order.
  const { config, configHash } = input as { config: ResolvedPipelineConfig; configHash: string };
  return {
    config,
    configHash,
    dataset: String(described.typedSearchAttributes.get(DATASET_KEY) ?? ''),
  };
}
