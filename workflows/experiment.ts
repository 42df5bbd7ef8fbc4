/**
 * The `experiment` workflow: runs the planned stages in order, each as a cache lookup followed (on a miss) by a
 * compute activity. A stage that fails for good does not end the workflow: it is parked (search attribute
 * `PamBlockedStage`, current details) until a `retryStage` update or a cancel arrives, then the experiment
 * re-resolves the stages before it (a cache hit is quick; an upstream artifact gone since is recomputed) and
 * reruns from that stage. A stage that finds a committed input damaged when it opens it (InputDamagedError) gets
 * that upstream stage re-resolved — its lookup quarantines and recomputes it — and is rerun, once per input and
 * attempt chain; a second damage parks. Deterministic: no I/O, only activity calls and pure helpers.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { StageActivities } from '../activities/index.js';
import { ConfigError, inputDamageIn, NON_RETRYABLE_ERROR_TYPES, type InputDamage } from '../src/errors/pipeline-errors.js';
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

/**
 * `patched()` ids of changed command sequences: histories recorded before them replay the old sequence, and each
 * has a recorded history of its own (test/replay/replay.test.ts checks).
 */
export const WORKFLOW_PATCHES = {
  recomputeDamagedInput: 'recompute-damaged-input',
  reresolveUpstreamOnRetry: 'reresolve-upstream-on-retry',
  cacheHitMarkerNotAwaited: 'cache-hit-marker-not-awaited',
} as const;

export async function experiment(input: ExperimentInput): Promise<ExperimentResult> {
  const { config, configHash } = input;
  const plan = planOrFail(config);
  const rows: StageRow[] = plan.map((s) => ({ id: s.id, uses: s.uses, status: 'pending' }));
  const refs = new Map<string, ArtifactRef>();
  const forced = new Set(input.forceStages);
  let blocked: string | null = null;
  let retryRequest: RetryStageRequest | null = null;
  /** `<stage id>/<role>` of inputs recomputed after damage since the last retry: each is healed once. */
  const healed = new Set<string>();
  /** While an upstream stage is recomputed for a damaged input: the plan index of the consumer to rerun next. */
  let rerunAt: number | null = null;

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
      maxSilenceSeconds: stage.maxSilenceSeconds,
    };
    const resolved = await resolveStageKey.executeWithOptions({ ...lookupOptions, summary: `${stage.id}: cache lookup` }, [request]);
    // Re-resolved after a retry: a stage this run computed stays `done`, not `cached`.
    const computedHere = row.status === 'done' && row.key === resolved.key;
    Object.assign(row, { key: resolved.key, status: 'running' });
    if (resolved.status === 'cached' && resolved.ref) {
      Object.assign(row, {
        status: computedHere ? 'done' : 'cached',
        summary: resolved.ref.summary,
        rows: resolved.ref.rows,
        reason: undefined,
      });
      refs.set(stage.id, resolved.ref);
      // A cache hit schedules no compute activity; this zero-length timer's summary puts the stage and its
      // artifact key on the UI timeline all the same, so every stage of every run is traceable there. It is a
      // marker only: the server fires timers at a granularity of about a second, so waiting for it made every
      // cache hit cost one. A cancel of the experiment cancels it too, which is no failure of the marker.
      const marker = sleep(1, { summary: `${stage.id} (${stage.uses}) cached → artifact ${resolved.key}` });
      if (patched(WORKFLOW_PATCHES.cacheHitMarkerNotAwaited)) marker.catch(() => undefined);
      else await marker;
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
    Object.assign(row, { status: 'done', summary: ref.summary, rows: ref.rows });
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
      index = rerunAt ?? index + 1;
      rerunAt = null;
      publish();
    } catch (error) {
      if (isCancellation(error)) throw error;
      const damage = damagedInputOf(error);
      if (damage !== null && !healed.has(`${stage.id}/${damage.role}`) && patched(WORKFLOW_PATCHES.recomputeDamagedInput)) {
        healed.add(`${stage.id}/${damage.role}`);
        // A shard input of a merge step has no upstream stage: rerunning the stage re-resolves its shards.
        const upstream = plan.findIndex((s) => s.id === stage.inputs[damage.role]);
        Object.assign(row, { status: 'pending', reason: `input ${damage.role} was damaged (${damage.file}): recomputing it` });
        if (upstream >= 0) {
          Object.assign(rows[upstream]!, { status: 'pending', reason: undefined });
          rerunAt = index;
          index = upstream;
        }
        publish();
        continue;
      }
      rerunAt = null;
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
      const resumeAt = Math.min(
        index,
        plan.findIndex((s) => s.id === from),
      );
      // Re-run the lookups of the stages before it too: the references they returned before the park may point at
      // artifacts that are gone or damaged since; an intact one is a quick cache hit.
      index = patched(WORKFLOW_PATCHES.reresolveUpstreamOnRetry) ? 0 : resumeAt;
      healed.clear();
      for (const later of rows.slice(resumeAt)) {
        Object.assign(later, {
          status: 'pending',
          error: undefined,
          key: undefined,
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

/** The damaged input a compute activity failed on, from its failure's details (src/store/artifact-input.ts). */
function damagedInputOf(error: unknown): InputDamage | null {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'InputDamagedError') return null;
  return inputDamageIn(cause.details ?? undefined);
}

/** The human-readable cause of a stage failure: the activity's own error type and message. */
function describeFailure(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
