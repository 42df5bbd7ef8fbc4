/**
 * Fault injection for tests of the thread runtime's failure paths, so no production module carries a test branch.
 * Read only by src/threads/thread-entry.ts, when a thread receives a task; unset in normal runs.
 *
 *   PAM_THREAD_FAULT=<thread name>=<fault>[,<thread name>=<fault>...]
 *
 * Thread names: `stage:<kind>` (src/engine/run-stage-in-thread.ts), `decoder:<name>`
 * (src/training/run-job-in-thread.ts), `align-area-worker` (the fMRI pool, src/stages/hyperalign/runner.ts; a
 * pool's threads share its name, by default its module's file name). Worker threads inherit the environment, so
 * a fault set for `decoder:pam` also reaches the decoder threads a stage thread starts. Faults:
 *   exit0, exit1   the thread calls process.exit(0 | 1) before answering: a thread that dies mid-task.
 */
import { ConfigError } from '../errors/pipeline-errors.js';

const FAULTS = {
  exit0: () => process.exit(0),
  exit1: () => process.exit(1),
} satisfies Record<string, () => void>;

export function injectFault(threadName: string, setting: string | undefined = process.env['PAM_THREAD_FAULT']): void {
  for (const entry of setting?.split(',') ?? []) {
    const at = entry.lastIndexOf('=');
    if (entry.slice(0, at) !== threadName) continue;
    const fault = entry.slice(at + 1);
    // An unknown fault fails the task, so a typo cannot make a fault test pass without its fault.
    if (!Object.hasOwn(FAULTS, fault))
      throw new ConfigError(`PAM_THREAD_FAULT: unknown fault "${fault}" (known: ${Object.keys(FAULTS).join(', ')})`);
    FAULTS[fault as keyof typeof FAULTS]();
  }
}
