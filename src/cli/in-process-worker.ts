/** A pipeline worker inside the CLI's own process (the default for `pam run` and `pam retry`). */
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { stateDir } from '../paths/project-paths.js';
import { connectWorkerConnection } from '../temporal/connection.js';
import { createPipelineWorker } from '../temporal/pipeline-worker.js';
import type { Session } from './session.js';

export interface InProcessWorker {
  stop(): Promise<void>;
}

export async function startInProcessWorker(session: Session): Promise<InProcessWorker> {
  // The SDK's INFO lines (worker state, webpack stats) would drown the progress view; warnings still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await connectWorkerConnection(session.temporal);
  const worker: Worker = await createPipelineWorker({ connection, namespace: session.temporal.namespace, stateRoot: stateDir() });
  const running = worker.run();
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}
