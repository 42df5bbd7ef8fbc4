/**
 * Typed errors are the retry contract with Temporal: an activity failure's type is the error's `name`,
 * and the workflow lists the non-retryable names in `nonRetryableErrorTypes`
 * (pattern from temporalio/money-transfer-project-template-ts `banking-client.ts` + `workflows.ts`).
 * Names are set explicitly so bundling or minification can never change them.
 */

/** Base of every error the pipeline raises on purpose. */
export abstract class PipelineError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The experiment YAML, a `--set` override or a stage's params are invalid. Never retried. */
export class ConfigError extends PipelineError {
  override readonly name = 'ConfigError';
  readonly retryable = false;
}

/** An input file or table is malformed (names the file, key or row). Never retried. */
export class DataValidationError extends PipelineError {
  override readonly name = 'DataValidationError';
  readonly retryable = false;
}

/** A model weights file does not match the declared architecture or checksum. Never retried. */
export class ModelLoadError extends PipelineError {
  override readonly name = 'ModelLoadError';
  readonly retryable = false;
}

/** A remote service failed in a way that may heal by itself (timeout, reset, 429, 5xx). */
export class TransientNetworkError extends PipelineError {
  override readonly name = 'TransientNetworkError';
  readonly retryable = true;
}

/** A remote service refused for good (404, 403 after retries, md5 mismatch after re-download, bad host). */
export class PermanentNetworkError extends PipelineError {
  override readonly name = 'PermanentNetworkError';
  readonly retryable = false;
}

/**
 * A compute request's inputs hash to another cache key than the one planned for it (the request and the plan
 * disagree, e.g. a worker with other stage code). Never retried: another attempt computes the same key.
 */
export class KeyMismatchError extends PipelineError {
  override readonly name = 'KeyMismatchError';
  readonly retryable = false;
}

/**
 * A worker thread exited (any code, 0 included) or crashed before answering its task (src/threads/thread-pool.ts).
 * Retried: the same work may succeed on a fresh thread.
 */
export class ThreadExitError extends PipelineError {
  override readonly name = 'ThreadExitError';
  readonly retryable = true;
}

/** Work on a worker thread was cancelled: asked to stop, then terminated after a grace period (src/threads/thread-pool.ts). */
export class ThreadCancelledError extends PipelineError {
  override readonly name = 'ThreadCancelledError';
  readonly retryable = false;
}

/** Names Temporal must not retry; the workflow passes this list as `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = [
  'ConfigError',
  'DataValidationError',
  'ModelLoadError',
  'PermanentNetworkError',
];
