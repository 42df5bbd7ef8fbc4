/**
 * Why a stage that is not a cache hit computes: which parts of its key changed since the experiment last committed
 * it (src/store/key-diff.ts). One rule for the engine's cache lookup (resolve-stage.ts) and `pam run --dry-run`,
 * so the plan gives the reasons the run will record.
 */
import { describeKeyChanges } from '../store/key-diff.js';
import type { StageKeyRecord, StageRecords } from '../store/stage-records.js';

/** The changes; empty when the experiment never committed this stage (or its record could not be read). */
export function keyChangesSinceLastRun(
  records: StageRecords,
  experiment: string,
  recordId: string,
  record: StageKeyRecord,
  onUnreadable: (file: string, reason: string) => void,
): string[] {
  const previous = records.last(experiment, recordId, onUnreadable);
  if (!previous) return [];
  const changes = describeKeyChanges(previous, record);
  return changes.length > 0 ? changes : ['same key as the last committed run, but its artifact is no longer intact'];
}
