/**
 * The retry contract of a failed attempt: the error's class name is the failure type; non-retryable when the error
 * says `retryable: false` or its name is in NON_RETRYABLE_ERROR_TYPES (`src/engine/stage-failure.ts`), and the
 * activity adapter's Temporal failures built from that (`activities/index.ts`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { toActivityFailure } from '../../activities/index.js';
import { DataValidationError, TransientNetworkError } from '../../src/errors/pipeline-errors.js';
import { StageCancelledError, stageFailureOf } from '../../src/engine/stage-failure.js';

/** An error as a compute thread hands it over: a plain Error carrying the original class name. */
const threadError = (name: string, fields: { retryable?: boolean; stack?: string } = {}): Error =>
  Object.assign(new Error('boom'), { name, ...fields });

const verdict = (error: unknown) => {
  const { type, message, nonRetryable } = stageFailureOf('train', error);
  return { type, message, nonRetryable };
};

test('typed pipeline errors keep their class name; bad input is non-retryable, a transient fault is retried', () => {
  assert.deepEqual(verdict(new DataValidationError('row 3 is bad')), {
    type: 'DataValidationError',
    message: 'stage train: row 3 is bad',
    nonRetryable: true,
  });
  assert.deepEqual(verdict(new TransientNetworkError('reset')), {
    type: 'TransientNetworkError',
    message: 'stage train: reset',
    nonRetryable: false,
  });
});

test('errors read by name and retryable flag, not by class: a listed name or retryable false is non-retryable', () => {
  assert.equal(verdict(threadError('ConfigError')).nonRetryable, true, 'listed in NON_RETRYABLE_ERROR_TYPES');
  assert.equal(verdict(threadError('QuotaError', { retryable: false })).nonRetryable, true);
  assert.equal(verdict(threadError('ComputeThreadExit', { retryable: true })).nonRetryable, false);
  assert.deepEqual(verdict(new RangeError('index 9')), { type: 'RangeError', message: 'stage train: index 9', nonRetryable: false });
  assert.deepEqual(verdict('a string'), { type: 'Error', message: 'stage train: a string', nonRetryable: false });
});

test("the compute thread's stack is the failure's details", () => {
  assert.deepEqual(stageFailureOf('train', threadError('DataValidationError', { stack: 'at thread.ts:1' })).details, ['at thread.ts:1']);
  const err = new DataValidationError('bad');
  assert.deepEqual(stageFailureOf('train', err).details, [err.stack]);
});

test('the activity adapter turns a failure into an ApplicationFailure of that type, a cancellation into a CancelledFailure', () => {
  const failure = toActivityFailure('train', threadError('DataValidationError'));
  assert.ok(failure instanceof ApplicationFailure);
  assert.deepEqual([failure.type, failure.message, failure.nonRetryable], ['DataValidationError', 'stage train: boom', true]);
  const retryable = toActivityFailure('train', threadError('ComputeThreadExit', { retryable: true }));
  assert.ok(retryable instanceof ApplicationFailure && !retryable.nonRetryable);
  const cancelled = toActivityFailure('train', new StageCancelledError('train', { cause: threadError('CancelledError') }));
  assert.ok(cancelled instanceof CancelledFailure);
  assert.equal(cancelled.message, 'stage train cancelled');
});
