/** `pam retry <experiment> [--stage S] [--force] [--external-workers]`: resume a parked experiment. */
import { retryExperiment, workflowIdOf } from '../../temporal/experiment-client.js';
import { onePositional, parseArgs } from '../args.js';
import { startInProcessWorker } from '../in-process-worker.js';
import { follow, openSession } from '../session.js';
import { reportOutcome } from './report-outcome.js';

export async function retryCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['stage'], ['force', 'external-workers']);
  const experiment = onePositional(args, 'experiment name');
  const session = await openSession((line) => console.log(line));
  const worker = args.flags.has('external-workers') ? undefined : await startInProcessWorker(session);
  try {
    const stageId = args.options.get('stage')?.at(-1);
    const ack = await retryExperiment(session.client, experiment, { stageId, force: args.flags.has('force') });
    console.log(ack);
    return reportOutcome(await follow(session.client.workflow.getHandle(workflowIdOf(experiment))), session, experiment);
  } finally {
    await worker?.stop();
    await session.close();
  }
}
