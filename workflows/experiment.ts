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
import { backendOf, type ResolvedPipelineConfig, type ResolvedStage } from '../src/contracts/pipeline-config.js';
import type {
  ArtifactRef,
  ExperimentInput,
  ExperimentResult,
  RetryStageRequest,
  StageRequest,
  StageRow,
} from '../src/contracts/stage-requests.js';
import { BLOCKED_STAGE_KEY } from './search-attributes.js';
import { readyStages, withDescendants, type StageState } from './stage-graph.js';
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
  stageGraph: 'stage-graph',
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
  /**
   * A stage's compute goes to the Temporal task queue of its config queue (`gpu` workers take `queue: gpu`), as
   * the client mapped them (ExperimentInput.taskQueues); cache lookups stay on the workflow's own queue, which
   * every worker can serve from the store.
   */
  const computeOptions = (stage: ResolvedStage): ActivityOptions => {
    const taskQueue = stage.queue === undefined ? undefined : input.taskQueues?.[stage.queue];
    return taskQueue === undefined ? stageOptions : { ...stageOptions, taskQueue };
  };

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
  function runShards(stage: ResolvedStage, request: StageRequest, count: number): Promise<ArtifactRef[]> {
    const one = async (index: number): Promise<ArtifactRef> => {
      const shardRequest: StageRequest = { ...request, shard: { index, count } };
      const label = `${request.stageId} (${request.uses}) shard ${index + 1}/${count}`;
      const shardKey = await resolveStageKey.executeWithOptions({ ...lookupOptions, summary: `${label}: cache lookup` }, [shardRequest]);
      if (shardKey.status === 'cached' && shardKey.ref) return shardKey.ref;
      return runStage.executeWithOptions({ ...computeOptions(stage), summary: `${label} → artifact ${shardKey.key}` }, [
        { ...shardRequest, key: shardKey.key, backend: backendOf(config.runtime, stage), merge: false },
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
    const runRequest = { ...request, key: resolved.key, backend: backendOf(config.runtime, stage), merge: false };
    let ref: ArtifactRef;
    if (resolved.shardCount !== null) {
      const shardRefs = await runShards(stage, request, resolved.shardCount);
      const shardInputs = Object.fromEntries(shardRefs.map((r, i) => [`shard-${i}`, r]));
      ref = await runStage.executeWithOptions({ ...computeOptions(stage), summary: summary('merge') }, [
        { ...runRequest, inputs: { ...inputs, ...shardInputs }, merge: true },
      ]);
    } else {
      ref = await runStage.executeWithOptions({ ...computeOptions(stage), summary: summary('compute') }, [runRequest]);
    }
    Object.assign(row, { status: 'done', summary: ref.summary, rows: ref.rows });
    refs.set(stage.id, ref);
    forced.delete(stage.id);
  }

  /**
   * Park on a stage that failed for good until a `retryStage` update arrives (or the experiment is cancelled);
   * returns the request.
   */
  async function park(stageId: string): Promise<RetryStageRequest> {
    blocked = stageId;
    upsertSearchAttributes([{ key: BLOCKED_STAGE_KEY, value: stageId }]);
    publish();
    await condition(() => retryRequest !== null);
    const request = retryRequest!;
    retryRequest = null;
    blocked = null;
    upsertSearchAttributes([{ key: BLOCKED_STAGE_KEY, value: null }]);
    return request;
  }

  /** A stage row as it is before its stage has run. */
  const clearRow = (row: StageRow): void => {
    Object.assign(row, { status: 'pending', error: undefined, key: undefined, reason: undefined, summary: undefined, rows: undefined });
  };

  /**
   * The stage graph: every stage whose inputs are committed starts at once, up to `runtime.maxParallelStages`. A
   * stage that fails for good fails its branch only: the stages that do not read it go on, and the experiment
   * parks once nothing else can run. A retry reruns the failed stages (or the one it names) and everything that
   * reads them, after re-resolving every other stage's lookup (a quick cache hit if its artifact is still intact).
   */
  async function runGraph(): Promise<void> {
    const state = new Map<string, StageState>(plan.map((s) => [s.id, 'waiting']));
    const maxParallel = config.runtime.maxParallelStages ?? 1;
    const running = new Map<string, Promise<void>>();
    const rowOf = (id: string): StageRow => rows[plan.findIndex((s) => s.id === id)]!;

    const start = (stage: ResolvedStage): void => {
      state.set(stage.id, 'running');
      const done = runOne(stage, rowOf(stage.id)).then(
        () => {
          state.set(stage.id, 'committed');
        },
        (error: unknown) => {
          if (isCancellation(error)) throw error;
          const damage = damagedInputOf(error);
          const upstream = damage === null ? undefined : stage.inputs[damage.role];
          const row = rowOf(stage.id);
          if (damage !== null && !healed.has(`${stage.id}/${damage.role}`)) {
            healed.add(`${stage.id}/${damage.role}`);
            Object.assign(row, { status: 'pending', reason: `input ${damage.role} was damaged (${damage.file}): recomputing it` });
            state.set(stage.id, 'waiting');
            // A shard input of a merge step has no upstream stage: rerunning the stage re-resolves its shards.
            if (upstream !== undefined && state.get(upstream) === 'committed') {
              Object.assign(rowOf(upstream), { status: 'pending', reason: undefined });
              state.set(upstream, 'waiting');
              refs.delete(upstream);
            }
            return;
          }
          Object.assign(row, { status: 'failed', error: describeFailure(error) });
          state.set(stage.id, 'failed');
        },
      );
      running.set(
        stage.id,
        done.finally(() => running.delete(stage.id)),
      );
    };

    publish();
    for (;;) {
      for (const stage of readyStages(plan, state, maxParallel - running.size)) start(stage);
      if (running.size > 0) {
        await Promise.race(running.values());
        publish();
        continue;
      }
      const failed = plan.filter((s) => state.get(s.id) === 'failed').map((s) => s.id);
      if (failed.length === 0) return;
      const request = await park(failed[0]!);
      const from = request.stageId ?? failed[0]!;
      if (request.force) forced.add(from);
      const rerun = new Set([from, ...failed].flatMap((id) => [...withDescendants(plan, id)]));
      healed.clear();
      for (const stage of plan) {
        state.set(stage.id, 'waiting');
        if (rerun.has(stage.id)) clearRow(rowOf(stage.id));
      }
      refs.clear();
      publish();
    }
  }

  /** The sequential walk of workflows started before the stage graph (kept so their histories replay). */
  async function walkInOrder(): Promise<void> {
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
        const request = await park(stage.id);
        const from = request.stageId ?? stage.id;
        if (request.force) forced.add(from);
        const resumeAt = Math.min(
          index,
          plan.findIndex((s) => s.id === from),
        );
        // Re-run the lookups of the stages before it too: the references they returned before the park may point at
        // artifacts that are gone or damaged since; an intact one is a quick cache hit.
        index = patched(WORKFLOW_PATCHES.reresolveUpstreamOnRetry) ? 0 : resumeAt;
        healed.clear();
        for (const later of rows.slice(resumeAt)) clearRow(later);
        publish();
      }
    }
  }

  // Decided before the first command, so a history recorded before the graph replays the walk.
  if (patched(WORKFLOW_PATCHES.stageGraph)) await runGraph();
  else await walkInOrder();
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
