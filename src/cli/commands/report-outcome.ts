/** What `pam run` / `pam retry` print when following ends, and their exit codes. */
import { renderResultTables } from '../tables-report.js';
import { uiLink, type Outcome, type Session } from '../session.js';

/** Exit codes: 0 completed, 3 parked on a failed stage, 4 ended otherwise (cancelled, terminated). */
export async function reportOutcome(outcome: Outcome, session: Session, experiment: string): Promise<number> {
  const link = uiLink(session, experiment);
  if (outcome.kind === 'completed') {
    const cached = outcome.rows.filter((r) => r.status === 'cached').length;
    console.log(`\ncompleted: ${outcome.rows.length} stages (${cached} cache hits, ${outcome.rows.length - cached} computed)`);
    const tables = await renderResultTables(outcome.rows, session.store);
    if (tables) console.log(`\n${tables}`);
    console.log(`\nartifacts (store ${session.store.description}):`);
    for (const row of outcome.rows) console.log(`  ${row.id.padEnd(14)} ${row.key ? session.store.locate(row.uses, row.key) : ''}`);
    console.log(`Temporal UI: ${link}`);
    return 0;
  }
  if (outcome.kind === 'parked') {
    const failed = outcome.rows.find((r) => r.status === 'failed')!;
    console.error(`\nstage ${failed.id} failed for good: ${failed.error}`);
    console.error(
      `the experiment is parked (not lost): fix the cause, then run \`pam retry ${experiment}\` (or \`--stage <id>\` to rerun from another stage)`,
    );
    console.error(`Temporal UI: ${link}`);
    return 3;
  }
  console.error(`\nworkflow ended with status ${outcome.status}. Temporal UI: ${link}`);
  return 4;
}
