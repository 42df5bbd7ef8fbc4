/** `pam retry <experiment> [--stage S] [--force] [--external-workers]`: resume a parked experiment. */
import { experimentState, retryExperiment, workflowIdOf } from '../../temporal/experiment-client.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { onePositional, parseArgs } from '../args.js';
import { startInProcessWorker, type InProcessWorker } from '../in-process-worker.js';
import { follow, openSession } from '../session.js';
import { reportOutcome } from './report-outcome.js';

export async function retryCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['stage'], ['force', 'external-workers']);
  const experiment = onePositional(args, 'experiment name');
  const session = await openSession((line) => console.log(line), { startServer: false });
  let worker: InProcessWorker | undefined;
  try {
    // An unknown name, or an experiment not parked, fails here, before the worker loads and bundles for nothing.
    const { taskQueue, status, blockedStage } = await experimentState(session.client, experiment);
    if (status !== 'RUNNING' || blockedStage === null) {
      throw new ConfigError(
        `experiment ${experiment} is not parked on a failed stage (workflow ${status.toLowerCase()}): nothing to retry; ` +
          '`pam run <pipeline.yaml>` runs it again, recomputing only what is not committed',
      );
    }
    // The queue the workflow was started on: the experiment's own for an in-process run, so only this process polls it.
    worker = args.flags.has('external-workers') ? undefined : await startInProcessWorker(session, taskQueue);
    const stageId = args.options.get('stage')?.at(-1);
    const ack = await retryExperiment(session.client, experiment, { stageId, force: args.flags.has('force') });
    console.log(ack);
    return await reportOutcome(await follow(session, session.client.workflow.getHandle(workflowIdOf(experiment))), session, experiment);
  } finally {
    await worker?.stop();
    await session.close();
  }
}
