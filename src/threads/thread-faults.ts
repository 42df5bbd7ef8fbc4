/**
 * Fault injection for tests of failure paths, so no production module carries a test branch: every hook is a call
 * to `injectFault(name)`, and nothing happens unless PAM_THREAD_FAULT names it (unset in normal runs).
 *
 *   PAM_THREAD_FAULT=<name>[@<n>]=<fault>[,<name>[@<n>]=<fault>...]
 *
 * Names are thread names, checked by src/threads/thread-entry.ts when a thread receives a task: `stage:<kind>`
 * (src/engine/run-stage-in-thread.ts), `decoder:<name>` (src/training/run-job-in-thread.ts), `align-area-worker`
 * (the fMRI pool, src/stages/hyperalign/runner.ts; a pool's threads share its name, by default its module's file
 * name). And fault points, the narrow windows a crash test must hit exactly (test/faults/):
 *   checkpoint-written:<folder>  a training checkpoint's bytes are durable but not yet the checkpoint; <folder> is
 *                                the checkpoint folder's name, the decoder in the train stage (src/training/checkpoint.ts)
 *   artifact-staged:<kind>       an artifact's files and manifest are in its staging folder, not yet renamed into
 *                                place (src/store/artifact-store.ts `commit`)
 *   artifact-committed:<kind>    the artifact is in place; its checkpoints are not yet removed and the attempt
 *                                has not reported it (same function)
 * `@<n>` fires at the n-th pass of that name in this thread (default: every pass). Worker threads inherit the
 * environment, so a fault set for `decoder:pam` also reaches the decoder threads a stage thread starts. Faults:
 *   exit0, exit1   the thread calls process.exit(0 | 1) before answering: a thread that dies mid-task.
 *   kill           SIGKILL to the whole process, also from a worker thread: a worker killed at that instant.
 *   hang           the thread blocks forever (Atomics.wait, no CPU) and answers no message: a wedged thread, for
 *                  the engine's silence watch (src/engine/stage-heartbeats.ts). Worker threads copy the environment
 *                  when they start, so clearing PAM_THREAD_FAULT afterwards spares the next attempt's thread.
 *   sleep<ms>      the thread blocks for <ms> milliseconds (no CPU), then goes on: a stage that waits on a disk, a
 *                  network or a GPU, for the scale-out bench (bench/scale.ts).
 */
import { ConfigError } from '../errors/pipeline-errors.js';

const FAULTS = {
  exit0: () => process.exit(0),
  exit1: () => process.exit(1),
  kill: () => process.kill(process.pid, 'SIGKILL'),
  hang: () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0),
} satisfies Record<string, () => void>;

/** Passes per name in this thread, for `@<n>`. */
const passes = new Map<string, number>();

export function injectFault(name: string, setting: string | undefined = process.env['PAM_THREAD_FAULT']): void {
  if (!setting) return;
  const pass = (passes.get(name) ?? 0) + 1;
  passes.set(name, pass);
  for (const entry of setting.split(',')) {
    const at = entry.lastIndexOf('=');
    const [target, nth] = entry.slice(0, at).split('@');
    if (target !== name || (nth !== undefined && Number(nth) !== pass)) continue;
    const fault = entry.slice(at + 1);
    const sleep = /^sleep(\d+)$/.exec(fault);
    if (sleep) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(sleep[1]));
      continue;
    }
    // An unknown fault fails the task, so a typo cannot make a fault test pass without its fault.
    if (!Object.hasOwn(FAULTS, fault))
      throw new ConfigError(`PAM_THREAD_FAULT: unknown fault "${fault}" (known: ${Object.keys(FAULTS).join(', ')}, sleep<ms>)`);
    FAULTS[fault as keyof typeof FAULTS]();
  }
}
