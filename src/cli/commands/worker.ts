/** `pam worker`: a long-running pipeline worker (for `runtime.workers: external` or more machines). */
import { connectWorkerConnection } from '../../temporal/connection.js';
import { createPipelineWorker } from '../../temporal/pipeline-worker.js';
import { TASK_QUEUE } from '../../temporal/task-queue.js';
import { stateDir } from '../../paths/project-paths.js';
import { configuredStoreLocation, describeLocation } from '../../store/store-location.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { parseArgs } from '../args.js';
import { openSession } from '../session.js';

export async function workerCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['max-stages'], []);
  if (args.positionals.length > 0) throw new ConfigError(`pam worker takes no arguments, got "${args.positionals.join(' ')}"`);
  const maxStages = maxStagesOf(args.options.get('max-stages')?.at(-1));
  const store = configuredStoreLocation();
  const session = await openSession((line) => console.log(line), { startServer: true });
  try {
    const connection = await connectWorkerConnection(session.temporal);
    try {
      const worker = await createPipelineWorker({
        connection,
        namespace: session.temporal.namespace,
        stateRoot: stateDir(),
        store,
        maxConcurrentStages: maxStages,
        log: (line) => console.log(line),
      });
      console.log(
        `pam worker polling task queue ${TASK_QUEUE} on ${session.temporal.address} (store ${describeLocation(store)}, state ${stateDir()}); Ctrl-C to stop`,
      );
      await worker.run();
    } finally {
      await connection.close();
    }
  } finally {
    await session.close();
  }
  return 0;
}

/** `--max-stages N`: how many stages compute at once, a positive integer (default: one per core). */
function maxStagesOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`--max-stages must be a positive whole number (stages computed at once), got "${text}"`);
  }
  return Number(text);
}
