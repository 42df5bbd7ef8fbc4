/**
 * Typed errors are the retry contract with Temporal: an activity failure's type is the error's `name`,
 * and the workflow lists the non-retryable names in `nonRetryableErrorTypes`
 * (pattern from temporalio/money-transfer-project-template-ts `banking-client.ts` + `workflows.ts`).
 * Names are set explicitly so bundling or minification can never change them.
 */

/** Options of every pipeline error: the cause, and structured facts for whoever handles the error. */
export interface PipelineErrorOptions {
  cause?: unknown;
  /**
   * Plain JSON facts (e.g. which input was damaged): they cross the thread hop (src/threads/error-transfer.ts)
   * and become the Temporal failure's details (src/engine/stage-failure.ts), where the workflow reads them.
   */
  details?: Readonly<Record<string, unknown>>;
}

/** Base of every error the pipeline raises on purpose. */
export abstract class PipelineError extends Error {
  abstract readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(message: string, options?: PipelineErrorOptions) {
    super(message, options);
    this.details = options?.details;
  }
}

/** The experiment YAML, a `--set` override or a stage's params are invalid. Never retried. */
export class ConfigError extends PipelineError {
  override readonly name = 'ConfigError';
  readonly retryable = false;
}

/** An input file or table is malformed (names the file, key or row). Never retried. */
export class DataValidationError extends PipelineError {
  // Typed `string`, not the literal, so InputDamagedError can refine it.
  override readonly name: string = 'DataValidationError';
  readonly retryable = false;
}

/** Which committed input a stage found damaged when it opened it: the failure details the workflow heals from. */
export type InputDamage = {
  /** Stage kind that opened the input. */
  consumer: string;
  /** The role under which it was opened (`dataset`, `shard-0`, …). */
  role: string;
  /** The upstream artifact: stage kind and cache key. */
  stage: string;
  key: string;
  /** The file that no longer matches the manifest (or the manifest itself). */
  file: string;
};

/**
 * A committed input no longer matches its manifest when a stage opens it (a file altered, truncated or gone since
 * it was committed). Never retried by Temporal: the attempt would read the same bytes again. The workflow instead
 * re-resolves the upstream stage (its lookup quarantines and recomputes it) and reruns the consumer once
 * (workflows/experiment.ts). Its `details` are an InputDamage.
 */
export class InputDamagedError extends DataValidationError {
  override readonly name: string = 'InputDamagedError';
  constructor(message: string, options?: { cause?: unknown; details?: InputDamage }) {
    super(message, options);
  }
}

/** The InputDamage among a failure's details, if any (read by the workflow, so pure and shape-checked). */
export function inputDamageIn(details: readonly unknown[] | undefined): InputDamage | null {
  const fields = ['consumer', 'role', 'stage', 'key', 'file'] as const;
  const found = details?.find(
    (d): d is InputDamage =>
      typeof d === 'object' && d !== null && fields.every((f) => typeof (d as Record<string, unknown>)[f] === 'string'),
  );
  return found ?? null;
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

/**
 * A stage's compute thread sent neither progress nor a log line for longer than its `maxSilenceSeconds`, so the
 * engine stopped its keep-alive heartbeats and terminated it (src/engine/stage-heartbeats.ts). Retried: a wedged
 * thread (a deadlock, a stuck native call) may well run on a fresh one; `details` name the stage, the silence
 * and the last progress message.
 */
export class StageStalledError extends PipelineError {
  override readonly name = 'StageStalledError';
  readonly retryable = true;
}

/**
 * A stage was sent artifacts of another store than the one this worker is configured with (`PAM_STORE`;
 * src/store/store-location.ts). Retried: another worker, configured like the rest of the cluster, may take the
 * next attempt; the message names both stores so the odd worker can be found and fixed.
 */
export class StoreMismatchError extends PipelineError {
  override readonly name = 'StoreMismatchError';
  readonly retryable = true;
}

/**
 * The shared artifact store (src/store/object-store.ts) could not be reached or failed on its side (connection
 * refused or reset, a timeout, a 5xx, throttling). Retried: the store is expected back.
 */
export class StoreUnavailableError extends PipelineError {
  override readonly name = 'StoreUnavailableError';
  readonly retryable = true;
}

/**
 * The shared artifact store refused this worker: wrong or missing credentials, a bucket that does not exist, a
 * denied key. Never retried: the next attempt would be refused the same way. The message names the store, never
 * a credential.
 */
export class StoreAccessError extends PipelineError {
  override readonly name = 'StoreAccessError';
  readonly retryable = false;
}

/** Names Temporal must not retry; the workflow passes this list as `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = [
  'ConfigError',
  'DataValidationError',
  'InputDamagedError',
  'ModelLoadError',
  'PermanentNetworkError',
  'StoreAccessError',
];
