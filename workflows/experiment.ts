/**
 * The `experiment` workflow: runs the planned stages in order, each as a cache lookup followed (on a miss) by a
 * compute activity. A stage that fails for good does not end the workflow: it is parked (search attribute
 * `PamBlockedStage`, current details) until a `retryStage` update or a cancel arrives, then the experiment
 * reruns from that stage. Deterministic: no I/O, only activity calls and pure helpers.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { StageActivities } from '../activities/index.js';
import { ConfigError, NON_RETRYABLE_ERROR_TYPES } from '../src/errors/pipeline-errors.js';
import { planStages } from '../src/contracts/plan.js';
import type { ResolvedPipelineConfig, ResolvedStage } from '../src/contracts/pipeline-config.js';
import type {
  ArtifactRef,
  ExperimentInput,
  ExperimentResult,
  RetryStageRequest,
  StageRequest,
  StageRow,
} from '../src/contracts/stage-requests.js';
import { BLOCKED_STAGE_KEY } from './search-attributes.js';
import { renderStageTable } from './stage-table.js';

export const retryStageUpdate = defineUpdate<string, [RetryStageRequest]>('retryStage');
export const stagesQuery = defineQuery<StageRow[]>('stages');

export async function experiment(input: ExperimentInput): Promise<ExperimentResult> {
  const { config, configHash } = input;
  const plan = planOrFail(config);
  const rows: StageRow[] = plan.map((s) => ({ id: s.id, uses: s.uses, status: 'pending' }));
  const refs = new Map<string, ArtifactRef>();
  const forced = new Set(input.forceStages);
  let blocked: string | null = null;
  let retryRequest: RetryStageRequest | null = null;

  const stageOptions: ActivityOptions = {
    startToCloseTimeout: `${config.runtime.stageTimeoutMinutes} minutes`,
    heartbeatTimeout: `${config.runtime.heartbeatTimeoutSeconds} seconds`,
    retry: {
      initialInterval: '2 seconds',
      maximumAttempts: config.runtime.maximumAttempts,
      nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
    },
  };
  const lookupOptions: ActivityOptions = {
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
  };
  const { resolveStageKey, runStage } = proxyActivities<StageActivities>(stageOptions);

  const publish = (): void => {
    setCurrentDetails(renderStageTable(config.experiment, configHash, rows, blocked));
    upsertMemo({ stages: rows });
  };

  setHandler(stagesQuery, () => rows);
  setHandler(
    retryStageUpdate,
    (request) => {
      retryRequest = request;
      return `retrying ${config.experiment} from ${request.stageId ?? blocked}`;
    },
    {
      validator: (request) => {
        if (blocked === null) throw new Error(`experiment ${config.experiment} is not parked on a failed stage`);
        if (request.stageId !== undefined && !plan.some((s) => s.id === request.stageId)) {
          throw new Error(`no stage "${request.stageId}" in this experiment (stages: ${plan.map((s) => s.id).join(', ')})`);
        }
      },
      description: 'Rerun the experiment from a stage (default: the blocked one) once the cause of its failure is fixed',
    },
  );

  /**
   * The shards of a sharded stage, in parallel, each its own cache lookup and activity. One failed shard cancels
   * its siblings, so none keeps computing beside a later retry of the stage.
   */
  function runShards(request: StageRequest, count: number): Promise<ArtifactRef[]> {
    const one = async (index: number): Promise<ArtifactRef> => {
      const shardRequest: StageRequest = { ...request, shard: { index, count } };
      const label = `${request.stageId} (${request.uses}) shard ${index + 1}/${count}`;
      const shardKey = await resolveStageKey.executeWithOptions({ ...lookupOptions, summary: `${label}: cache lookup` }, [shardRequest]);
      if (shardKey.status === 'cached' && shardKey.ref) return shardKey.ref;
      return runStage.executeWithOptions({ ...stageOptions, summary: `${label} → artifact ${shardKey.key}` }, [
        { ...shardRequest, key: shardKey.key, backend: config.runtime.backend, merge: false },
      ]);
    };
    return CancellationScope.cancellable(() =>
      Promise.all(Array.from({ length: count }, (_, index) => one(index))).catch((error: unknown) => {
        CancellationScope.current().cancel();
        throw error;
      }),
    );
  }

  /** Cache lookup, then (on a miss) compute; sharded stages fan out one activity per shard, then merge. */
  async function runOne(stage: ResolvedStage, row: StageRow): Promise<void> {
    const inputs: Record<string, ArtifactRef> = {};
    for (const [role, upstreamId] of Object.entries(stage.inputs)) inputs[role] = refs.get(upstreamId)!;
    const request: StageRequest = {
      experiment: config.experiment,
      stageId: stage.id,
      uses: stage.uses,
      params: stage.params,
      seed: stage.seed,
      inputs,
      force: forced.has(stage.id),
    };
    const resolved = await resolveStageKey.executeWithOptions({ ...lookupOptions, summary: `${stage.id}: cache lookup` }, [request]);
    Object.assign(row, { key: resolved.key, status: 'running' });
    if (resolved.status === 'cached' && resolved.ref) {
      Object.assign(row, {
        status: 'cached',
        dir: resolved.ref.dir,
        summary: resolved.ref.summary,
        rows: resolved.ref.rows,
        reason: undefined,
      });
      refs.set(stage.id, resolved.ref);
      // A cache hit schedules no compute activity; this zero-length timer's summary puts the stage and its
      // artifact key on the UI timeline all the same, so every stage of every run is traceable there.
      await sleep(1, { summary: `${stage.id} (${stage.uses}) cached → artifact ${resolved.key}` });
      return;
    }
    row.reason = resolved.corruption ? `recomputed: ${resolved.corruption}` : resolved.changes.join('; ') || 'no earlier run';
    publish();
    const summary = (what: string): string => `${stage.id} (${stage.uses}) ${what} → artifact ${resolved.key}`;
    const runRequest = { ...request, key: resolved.key, backend: config.runtime.backend, merge: false };
    let ref: ArtifactRef;
    if (resolved.shardCount !== null) {
      const shardRefs = await runShards(request, resolved.shardCount);
      const shardInputs = Object.fromEntries(shardRefs.map((r, i) => [`shard-${i}`, r]));
      ref = await runStage.executeWithOptions({ ...stageOptions, summary: summary('merge') }, [
        { ...runRequest, inputs: { ...inputs, ...shardInputs }, merge: true },
      ]);
    } else {
      ref = await runStage.executeWithOptions({ ...stageOptions, summary: summary('compute') }, [runRequest]);
    }
    Object.assign(row, { status: 'done', dir: ref.dir, summary: ref.summary, rows: ref.rows });
    refs.set(stage.id, ref);
    forced.delete(stage.id);
  }

  publish();
  let index = 0;
  while (index < plan.length) {
    const stage = plan[index]!;
    const row = rows[index]!;
    try {
      await runOne(stage, row);
      index += 1;
      publish();
    } catch (error) {
      if (isCancellation(error)) throw error;
      Object.assign(row, { status: 'failed', error: describeFailure(error) });
      blocked = stage.id;
      upsertSearchAttributes([{ key: BLOCKED_STAGE_KEY, value: stage.id }]);
      publish();
      await condition(() => retryRequest !== null);
      const request = retryRequest!;
      retryRequest = null;
      const from = request.stageId ?? stage.id;
      if (request.force) forced.add(from);
      blocked = null;
      upsertSearchAttributes([{ key: BLOCKED_STAGE_KEY, value: null }]);
      index = Math.min(
        index,
        plan.findIndex((s) => s.id === from),
      );
      for (const later of rows.slice(index)) {
        Object.assign(later, {
          status: 'pending',
          error: undefined,
          key: undefined,
          dir: undefined,
          reason: undefined,
          summary: undefined,
          rows: undefined,
        });
      }
      publish();
    }
  }
  return { experiment: config.experiment, configHash, stages: rows };
}

/**
 * The plan, or a non-retryable workflow failure: any error other than a Temporal failure thrown by workflow code
 * fails only the workflow task, which Temporal retries forever — a bad config must end the workflow instead.
 */
function planOrFail(config: ResolvedPipelineConfig): ResolvedStage[] {
  try {
    return planStages(config);
  } catch (error) {
    if (error instanceof ConfigError) throw ApplicationFailure.nonRetryable(error.message, 'ConfigError');
    throw error;
  }
}

/** The human-readable cause of a stage failure: the activity's own error type and message. */
function describeFailure(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
