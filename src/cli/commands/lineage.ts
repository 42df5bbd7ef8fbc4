/** `pam lineage <experiment> [--json] [--files]`: the artifact graph, from the manifests on disk (`--files`: every file listed). */
import { experimentState } from '../../temporal/experiment-client.js';
import { onePositional, parseArgs } from '../args.js';
import { lineageOf, renderLineage } from '../lineage.js';
import { openSession } from '../session.js';

export async function lineageCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['json', 'files']);
  const experiment = onePositional(args, 'experiment name');
  const session = await openSession(() => undefined, { startServer: false });
  try {
    const nodes = await lineageOf((await experimentState(session.client, experiment)).stages, session.store);
    console.log(args.flags.has('json') ? JSON.stringify(nodes, null, 2) : renderLineage(nodes, { allFiles: args.flags.has('files') }));
    return 0;
  } finally {
    await session.close();
  }
}
