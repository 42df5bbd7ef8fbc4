/**
 * Hold freshly computed stage digests against the committed table. A stage's `codeVersion` enters its cache key
 * (src/stages/stage-spec.ts), so code that changes while the version stays would have every cached result of that
 * stage reused as if nothing had changed. Each problem names the stage, the files whose digests differ, and the way
 * out: bump the version, or re-record the table in the same commit when the change preserves behaviour.
 */
import { RECORD_COMMAND, STAGE_DIGESTS_FILE, type StageDigestEntry, type StageDigestTable } from './digest-table.js';

/** Files added, removed or changed between two entries, one line each. */
function fileChanges(recorded: StageDigestEntry, current: StageDigestEntry): string[] {
  const paths = [...new Set([...Object.keys(recorded.files), ...Object.keys(current.files)])].sort();
  return paths.flatMap((path) => {
    const before = recorded.files[path];
    const after = current.files[path];
    if (before === after) return [];
    const change = before === undefined ? 'now loaded' : after === undefined ? 'no longer loaded' : 'changed';
    return [`    ${change}: ${path}`];
  });
}

function entryProblem(kind: string, recorded: StageDigestEntry, current: StageDigestEntry): string | undefined {
  const spec = `src/stages/${kind}/spec.ts`;
  if (recorded.codeVersion !== current.codeVersion) {
    return (
      `stage '${kind}': codeVersion is '${current.codeVersion}' in ${spec}, but ${STAGE_DIGESTS_FILE} records ` +
      `'${recorded.codeVersion}': re-record the table with \`${RECORD_COMMAND}\` in the same commit as the bump.`
    );
  }
  if (recorded.digest === current.digest) return undefined;
  return [
    `stage '${kind}': its code changed but its codeVersion is still '${current.codeVersion}', so cached '${kind}' ` +
      'results would be reused as if nothing had changed. Files whose code differs from the recorded table:',
    ...fileChanges(recorded, current),
    '  Two ways out:',
    `    - the change alters what the stage computes: bump codeVersion in ${spec} (its cached results and everything ` +
      `downstream are recomputed), then re-record with \`${RECORD_COMMAND}\`;`,
    `    - the change preserves behaviour (a refactor, a rename): re-record with \`${RECORD_COMMAND}\` in the same commit.`,
  ].join('\n');
}

/** One message per stage whose code or version disagrees with the table; empty when all agree. */
export function stageDigestProblems(recorded: StageDigestTable, current: StageDigestTable): string[] {
  const kinds = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
  return kinds.flatMap((kind) => {
    const before = recorded[kind];
    const after = current[kind];
    if (before === undefined) return [`stage '${kind}' has no entry in ${STAGE_DIGESTS_FILE}: record it with \`${RECORD_COMMAND}\`.`];
    if (after === undefined) {
      return [`${STAGE_DIGESTS_FILE} records stage '${kind}', which the catalog no longer has: re-record with \`${RECORD_COMMAND}\`.`];
    }
    const problem = entryProblem(kind, before, after);
    return problem === undefined ? [] : [problem];
  });
}
