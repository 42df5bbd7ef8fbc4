/**
 * Where a stage's log lines are kept: a committed artifact holds the log of the attempt that computed it as
 * `stage.log` (listed in its manifest like any file, so it is hashed, verified and travels with a shared store); a
 * failed attempt leaves its log in the key's partial folder as `attempt-<start>-<n>.log` (`<start>` the attempt's
 * start in compact ISO form, so names sort by time; `<n>` its Temporal attempt number), where the retry finds its
 * checkpoints and `pam logs` finds why it failed. A commit removes the partial folder, and with it these logs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from './file-io.js';

export const STAGE_LOG_FILE = 'stage.log';

/** The name of a failed attempt's log file. */
export const ATTEMPT_LOG_PATTERN = /^attempt-\d{8}T\d{6}\.\d{3}Z-\d+\.log$/;

export function attemptLogName(startedAt: Date, attempt: number): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '');
  return `attempt-${stamp}-${attempt}.log`;
}

export interface AttemptLog {
  name: string;
  text: string;
}

/** Keep a failed attempt's log in the key's partial folder. */
export function writeAttemptLog(partialDir: string, name: string, text: string): void {
  writeFileDurably(path.join(partialDir, name), text);
}

/** The failed attempts' logs kept in a partial folder, oldest first. */
export function readAttemptLogs(partialDir: string): AttemptLog[] {
  if (!existsSync(partialDir)) return [];
  return readdirSync(partialDir)
    .filter((name) => ATTEMPT_LOG_PATTERN.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(partialDir, name), 'utf8') }));
}
