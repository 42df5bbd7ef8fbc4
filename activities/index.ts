/**
 * The activities a pipeline worker registers: Temporal adapters of the stage engine (`src/engine/`), built around
 * its state (dependency injection as in temporalio/samples-typescript `activities-dependency-injection`). Each one
 * builds the engine's ports from the activity context, calls the engine, and turns its errors into Temporal
 * failures; the policy itself (cache lookup, idempotent compute, heartbeats, commit) lives in the engine.
 */
import { ApplicationFailure, CancelledFailure, Context, log } from '@temporalio/activity';
import type { ArtifactRef, ResolvedStageKey, RunStageRequest, StageRequest } from '../src/contracts/stage-requests.js';
import { executeStage } from '../src/engine/execute-stage.js';
import { resolveStage } from '../src/engine/resolve-stage.js';
import { StageCancelledError, stageFailureOf } from '../src/engine/stage-failure.js';
import type { EngineDeps, StagePorts } from '../src/engine/stage-ports.js';

export function createActivities(deps: EngineDeps) {
  return {
    /** Compute a stage's cache key and check whether an intact artifact is committed under it. */
    async resolveStageKey(request: StageRequest): Promise<ResolvedStageKey> {
      try {
        return await resolveStage(deps, request, log);
      } catch (error) {
        // Typed like a compute failure, so e.g. a manifest of a newer format is not looked up again and again.
        throw toActivityFailure(request.stageId, error);
      }
    },
    /** Compute one stage (or shard, or merge step) and commit its artifact. */
    async runStage(request: RunStageRequest): Promise<ArtifactRef> {
      try {
        return await executeStage(deps, request, portsOf(Context.current()));
      } catch (error) {
        throw toActivityFailure(request.stageId, error);
      }
    },
  };
}

export type StageActivities = ReturnType<typeof createActivities>;

function portsOf(context: Context): StagePorts {
  const { info } = context;
  return {
    heartbeat: (details) => context.heartbeat(details),
    log: context.log,
    cancellationSignal: context.cancellationSignal,
    attemptInfo: {
      workflowId: info.workflowExecution?.workflowId,
      runId: info.workflowExecution?.runId,
      activityId: info.activityId,
      attempt: info.attempt,
    },
    // Validated by the engine (src/engine/heartbeat-details.ts): it was written by whatever ran before.
    previousHeartbeat: info.heartbeatDetails,
  };
}

/** The Temporal failure of an engine error: a cancellation, or an ApplicationFailure typed by the error's class. */
export function toActivityFailure(stageId: string, error: unknown): CancelledFailure | ApplicationFailure {
  if (error instanceof StageCancelledError) return new CancelledFailure(error.message);
  return ApplicationFailure.create(stageFailureOf(stageId, error));
}
