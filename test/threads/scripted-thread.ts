/** A thread module for test/threads/thread-runtime.test.ts: each task input says what the thread does. */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, TransientNetworkError } from '../../src/errors/pipeline-errors.js';
import type { ThreadBody } from '../../src/threads/thread-protocol.js';

export type Script =
  | { do: 'answer'; value: number; events?: number; ms?: number }
  | { do: 'double'; data: Float64Array }
  | { do: 'throw'; error: 'typed' | 'foreign' | 'cyclic' }
  | { do: 'exit'; code: number }
  | { do: 'crash' }
  | { do: 'stop-on-abort' }
  | { do: 'ignore-abort' };

export type ScriptEvent = { step: number };

class UnlistedError extends Error {
  override readonly name = 'UnlistedError';
  readonly retryable = true;
}

function failure(kind: 'typed' | 'foreign' | 'cyclic'): Error {
  if (kind === 'typed') {
    return new ConfigError('bad params', { cause: new TransientNetworkError('socket reset', { cause: 'ECONNRESET' }) });
  }
  if (kind === 'foreign') return new UnlistedError('not in pipeline-errors');
  const cyclic = new Error('cyclic');
  cyclic.cause = cyclic;
  return cyclic;
}

export const thread: ThreadBody<Script, ScriptEvent, number | Float64Array> = async (script, { send, signal }) => {
  switch (script.do) {
    case 'answer':
      for (let step = 1; step <= (script.events ?? 0); step++) send({ step });
      await sleep(script.ms ?? 0);
      return script.value;
    case 'double':
      return script.data.map((x) => 2 * x);
    case 'throw':
      throw failure(script.error);
    case 'exit':
      send({ step: 1 });
      await sleep(20);
      return process.exit(script.code);
    case 'crash':
      setTimeout(() => {
        throw new RangeError('thrown outside the task');
      }, 10);
      return new Promise<never>(() => undefined);
    case 'stop-on-abort':
      // The abort may have come while this module was still loading.
      signal.throwIfAborted();
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    case 'ignore-abort':
      return new Promise<never>(() => undefined);
  }
};
