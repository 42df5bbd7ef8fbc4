/** `pam worker`: a long-running pipeline worker (for `runtime.workers: external` or more machines). */
import { connectWorkerConnection } from '../../temporal/connection.js';
import { createPipelineWorker } from '../../temporal/pipeline-worker.js';
import { DEFAULT_QUEUE, taskQueueOf } from '../../temporal/task-queue.js';
import { queueNameSchema } from '../../config/config-schema.js';
import { stateDir } from '../../paths/project-paths.js';
import { configuredStoreLocation, describeLocation } from '../../store/store-location.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { parseArgs } from '../args.js';
import { openSession } from '../session.js';

export async function workerCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['max-stages', 'queue'], []);
  if (args.positionals.length > 0) throw new ConfigError(`pam worker takes no arguments, got "${args.positionals.join(' ')}"`);
  const maxStages = maxStagesOf(args.options.get('max-stages')?.at(-1));
  const queue = queueOf(args.options.get('queue')?.at(-1) ?? DEFAULT_QUEUE);
  const taskQueue = taskQueueOf(queue);
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
        taskQueue,
        activitiesOnly: queue !== DEFAULT_QUEUE,
        log: (line) => console.log(line),
      });
      console.log(
        `pam worker polling queue ${queue} (task queue ${taskQueue}) on ${session.temporal.address} (store ${describeLocation(store)}, state ${stateDir()}); Ctrl-C to stop`,
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

/** `--queue NAME`: a config queue name (`cpu`, `gpu`, …), checked like the config's. */
function queueOf(text: string): string {
  const parsed = queueNameSchema.safeParse(text);
  if (!parsed.success) throw new ConfigError(`--queue "${text}": ${parsed.error.issues[0]?.message ?? 'not a queue name'}`);
  return parsed.data;
}

/** `--max-stages N`: how many stages compute at once, a positive integer (default: one per core). */
function maxStagesOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`--max-stages must be a positive whole number (stages computed at once), got "${text}"`);
  }
  return Number(text);
}
