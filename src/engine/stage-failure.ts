/**
 * How a failed compute attempt is reported to its host: the stage error's class name is the failure type, and it
 * decides whether Temporal retries (the contract of `src/errors/pipeline-errors.ts`). Plain data, so the Temporal
 * adapter (`activities/index.ts`) only wraps it in an `ApplicationFailure`.
 */
import { NON_RETRYABLE_ERROR_TYPES } from '../errors/pipeline-errors.js';

/** The attempt was cancelled (its host's cancellation signal fired): reported as a cancellation, not a failure. */
export class StageCancelledError extends Error {
  override readonly name = 'StageCancelledError';
  constructor(stageId: string, options?: { cause?: unknown }) {
    super(`stage ${stageId} cancelled`, options);
  }
}

/** The fields of `@temporalio/common` `ApplicationFailure.create`. */
export interface StageFailure {
  type: string;
  message: string;
  nonRetryable: boolean;
  /**
   * The stack where the error was raised (the compute thread's for a stage error), then the error's structured
   * `details` when it has them (src/errors/pipeline-errors.ts `PipelineErrorOptions`).
   */
  details: unknown[] | undefined;
}

/**
 * Read generically, not by class: a compute-thread rejection (`src/threads/error-transfer.ts`) is an Error named
 * after the stage error's class, with its `retryable` and, as its `stack`, the thread's stack.
 */
export function stageFailureOf(stageId: string, error: unknown): StageFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const { retryable, details: structured } = err as { retryable?: unknown; details?: unknown };
  const details = [...(err.stack ? [err.stack] : []), ...(typeof structured === 'object' && structured !== null ? [structured] : [])];
  return {
    type: err.name,
    message: `stage ${stageId}: ${err.message}`,
    nonRetryable: retryable === false || NON_RETRYABLE_ERROR_TYPES.includes(err.name),
    details: details.length > 0 ? details : undefined,
  };
}
