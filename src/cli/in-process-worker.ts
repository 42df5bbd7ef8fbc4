/**
 * A pipeline worker inside the CLI's own process (the default for `pam run` and `pam retry`), polling only the
 * task queue of the experiment it runs (src/temporal/task-queue.ts `inProcessTaskQueue`, or the queue a running
 * workflow was started on).
 */
import { DefaultLogger, type Logger, type LogLevel, type LogMetadata, Runtime, type Worker } from '@temporalio/worker';
import { stateDir } from '../paths/project-paths.js';
import { configuredStoreLocation } from '../store/store-location.js';
import { connectWorkerConnection } from '../temporal/connection.js';
import { createPipelineWorker } from '../temporal/pipeline-worker.js';
import type { Session } from './session.js';
import { superviseWorker } from './worker-supervisor.js';

export interface InProcessWorker {
  stop(): Promise<void>;
}

export async function startInProcessWorker(session: Session, taskQueue: string): Promise<InProcessWorker> {
  // The SDK's INFO lines (worker state, webpack stats) would drown the progress view; the stages' own log lines
  // (the tensor backend chosen, a checkpoint passed over) and warnings still show, except
  // core's per-call retry and heartbeat warnings, dozens a minute in a server outage that `pam run` reports in one
  // line (outage-watch.ts). Filter syntax: worker `runtime-options.ts` `makeTelemetryFilterString`.
  Runtime.install({
    logger: new StageLinesAndWarnings(),
    telemetryOptions: {
      logging: {
        filter:
          'ERROR,temporalio_sdk_core=WARN,temporalio_common=WARN,temporalio_client=ERROR,' +
          'temporalio_sdk_core::worker::activities::activity_heartbeat_manager=ERROR,temporalio_sdk_core::worker::heartbeat=ERROR',
      },
    },
  });
  const connection = await connectWorkerConnection(session.temporal);
  const create = (): Promise<Worker> =>
    createPipelineWorker({
      connection,
      namespace: session.temporal.namespace,
      stateRoot: stateDir(),
      store: configuredStoreLocation(),
      taskQueue,
      log: (line) => console.log(line),
    });
  const worker = superviseWorker(await create(), create, (line) => console.log(line));
  return {
    async stop() {
      await worker.stop();
      await connection.close();
    },
  };
}

/** Activity INFO lines (a stage's `ctx.log`, engine-prefixed `[<stage id>] …`) on stdout; WARN and above as the SDK logs them. */
class StageLinesAndWarnings implements Logger {
  private readonly warnings = new DefaultLogger('WARN');

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (level === 'INFO' && meta?.['sdkComponent'] === 'activity') console.log(message);
    else this.warnings.log(level, message, meta);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
