/** `pam status <experiment>`: the stage table (with why each stage reran), result tables, and the UI link. */
import { experimentState } from '../../temporal/experiment-client.js';
import { onePositional, parseArgs } from '../args.js';
import { renderResultTables, renderStageRows } from '../tables-report.js';
import { openSession, uiLink } from '../session.js';

export async function statusCommand(argv: readonly string[]): Promise<number> {
  const experiment = onePositional(parseArgs(argv, [], []), 'experiment name');
  const session = await openSession(() => undefined, { startServer: false });
  try {
    const state = await experimentState(session.client, experiment);
    const parked = state.stages.find((r) => r.status === 'failed');
    console.log(
      `experiment ${experiment} · workflow ${state.workflowId} · ${parked && state.status === 'RUNNING' ? `PARKED at ${parked.id}` : state.status} · config ${state.configHash.slice(0, 12)}`,
    );
    console.log(renderStageRows(state.stages));
    const tables = await renderResultTables(state.stages, session.store);
    if (tables) console.log(`\n${tables}`);
    if (parked) console.log(`\nfix the cause, then: pam retry ${experiment}`);
    console.log(`\nTemporal UI: ${uiLink(session, experiment)}`);
    return 0;
  } finally {
    await session.close();
  }
}
