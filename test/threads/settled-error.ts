/** The error a thread run rejects with, asserting it settles within `ms` (a lost thread must not hang its caller). */
import assert from 'node:assert/strict';

export async function settledError(run: Promise<unknown>, ms: number): Promise<Error> {
  let timer: NodeJS.Timeout | undefined;
  const pending = Symbol('pending');
  const deadline = new Promise<typeof pending>((resolve) => {
    timer = setTimeout(() => resolve(pending), ms);
  });
  try {
    const outcome = await Promise.race([
      run.then(
        () => assert.fail('expected the run to fail'),
        (error: unknown) => error,
      ),
      deadline,
    ]);
    assert.notEqual(outcome, pending, `still pending after ${ms} ms`);
    assert.ok(outcome instanceof Error, `rejected with a non-Error: ${String(outcome)}`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
