/**
 * Errors across a thread hop. Structured clone (HTML spec "StructuredSerialize", as V8 implements it) turns any
 * Error subclass into a plain `Error` named "Error" and drops own fields such as `retryable`, so a thread sends
 * this plain record instead and the parent revives it: our typed errors (src/errors/pipeline-errors.ts) as their
 * real class, so `instanceof` and the retry contract hold; any other error as an Error whose `name` is the
 * original class name.
 */
import * as pipelineErrors from '../errors/pipeline-errors.js';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Present when the error had a boolean `retryable`. */
  retryable?: boolean;
  /** An Error cause as a record, any other cause as its `String()`. */
  cause?: SerializedError | string;
  /** A pipeline error's structured `details` (plain JSON, so structured clone keeps them). */
  details?: Readonly<Record<string, unknown>>;
}

/** What a revived error carries besides Error's own fields. */
export type RevivedError = Error & { retryable?: boolean };

/** A cause chain deeper than this is cut (it may be a cycle: `a.cause = a`). */
const MAX_CAUSE_DEPTH = 8;

type PipelineErrorClass = new (message: string, options?: pipelineErrors.PipelineErrorOptions) => pipelineErrors.PipelineError;

function isPipelineErrorClass(value: unknown): value is PipelineErrorClass {
  return typeof value === 'function' && value.prototype instanceof pipelineErrors.PipelineError;
}

/**
 * Every concrete class of pipeline-errors.ts by its `name` (an instance field there, so each is probed once), so a
 * class added to that file revives without being listed again here.
 */
const TYPED = new Map<string, PipelineErrorClass>();
for (const value of Object.values(pipelineErrors)) if (isPipelineErrorClass(value)) TYPED.set(new value('').name, value);

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const record: SerializedError = { name: error.name, message: error.message };
  if (error.stack !== undefined) record.stack = error.stack;
  const retryable = (error as { retryable?: unknown }).retryable;
  if (typeof retryable === 'boolean') record.retryable = retryable;
  if (error instanceof pipelineErrors.PipelineError && error.details !== undefined) record.details = error.details;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    record.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : String(error.cause);
  }
  return record;
}

export function reviveError(record: SerializedError): RevivedError {
  const cause = typeof record.cause === 'object' ? reviveError(record.cause) : record.cause;
  // Only the fields present: `new Error(m, { cause: undefined })` would still install an own `cause`.
  const options: pipelineErrors.PipelineErrorOptions = {};
  if (cause !== undefined) options.cause = cause;
  if (record.details !== undefined) options.details = record.details;
  const Typed = TYPED.get(record.name);
  const error: RevivedError = Typed ? new Typed(record.message, options) : new Error(record.message, options);
  if (!Typed) {
    error.name = record.name;
    if (record.retryable !== undefined) error.retryable = record.retryable;
  }
  // The thread's stack, not this revival site: it is where the error happened.
  if (record.stack !== undefined) error.stack = record.stack;
  return error;
}
