/**
 * Shared plumbing of the CLI commands: Temporal connection, following a run to its end. Client side only (the
 * in-process worker is `in-process-worker.ts`), so `pam status` never loads the native worker core.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { connectClient, ensureTemporal, type TemporalConnectionConfig } from '../temporal/connection.js';
import { ProgressView, snapshot } from './progress-view.js';
import type { StageRow } from '../contracts/stage-requests.js';
import { workflowIdOf } from '../temporal/experiment-client.js';

export interface Session {
  client: Client;
  temporal: TemporalConnectionConfig;
  close(): Promise<void>;
}

export async function openSession(log: (line: string) => void): Promise<Session> {
  const { config: temporal, devServer } = await ensureTemporal(process.env, { log });
  if (devServer?.started) log(`started the embedded Temporal dev server at ${devServer.address} (UI ${devServer.uiUrl})`);
  const { client, connection } = await connectClient(temporal);
  return { client, temporal, close: () => connection.close() };
}

export function uiLink(session: Session, experiment: string): string {
  return `${session.temporal.uiUrl}/namespaces/${session.temporal.namespace}/workflows/${workflowIdOf(experiment)}`;
}

export type Outcome =
  | { kind: 'completed'; rows: StageRow[] }
  | { kind: 'parked'; rows: StageRow[] }
  | { kind: 'ended'; status: string; rows: StageRow[] };

/** Poll the workflow (memo + heartbeats) and draw progress until it completes, parks on a failure, or ends. */
export async function follow(handle: WorkflowHandle, view = new ProgressView()): Promise<Outcome> {
  for (;;) {
    const snap = await snapshot(handle);
    view.render(snap);
    if (snap.status === 'COMPLETED') {
      const result = (await handle.result()) as { stages: StageRow[] };
      view.render({ ...snap, rows: result.stages });
      return { kind: 'completed', rows: result.stages };
    }
    if (snap.status !== 'RUNNING') return { kind: 'ended', status: snap.status, rows: snap.rows };
    if (snap.rows.some((r) => r.status === 'failed')) return { kind: 'parked', rows: snap.rows };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
