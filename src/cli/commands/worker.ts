/** `pam worker`: a long-running pipeline worker (for `runtime.workers: external` or more machines). */
import { connectWorkerConnection } from '../../temporal/connection.js';
import { createPipelineWorker } from '../../temporal/pipeline-worker.js';
import { TASK_QUEUE } from '../../temporal/task-queue.js';
import { stateDir } from '../../paths/project-paths.js';
import { parseArgs } from '../args.js';
import { openSession } from '../session.js';

export async function workerCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['max-stages'], []);
  const session = await openSession((line) => console.log(line));
  const connection = await connectWorkerConnection(session.temporal);
  const maxStages = args.options.get('max-stages')?.at(-1);
  const worker = await createPipelineWorker({
    connection,
    namespace: session.temporal.namespace,
    stateRoot: stateDir(),
    maxConcurrentStages: maxStages ? Number(maxStages) : undefined,
  });
  console.log(`pam worker polling task queue ${TASK_QUEUE} on ${session.temporal.address} (state ${stateDir()}); Ctrl-C to stop`);
  await worker.run();
  await connection.close();
  await session.close();
  return 0;
}
