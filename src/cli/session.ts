/**
 * Shared plumbing of the CLI commands: Temporal connection, following a run to its end. Client side only (the
 * in-process worker is `in-process-worker.ts`), so `pam status` never loads the native worker core.
 */
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { connectClient, ensureTemporal, runningTemporal, type TemporalConnectionConfig } from '../temporal/connection.js';
import { OutageWatch } from './outage-watch.js';
import { ProgressView, snapshot } from './progress-view.js';
import type { StageRow } from '../contracts/stage-requests.js';
import { workflowIdOf } from '../temporal/experiment-client.js';
import { configuredStoreLocation } from '../store/store-location.js';
import { openStoreView, type StoreView } from '../store/store-view.js';
import { ConfigError } from '../errors/pipeline-errors.js';

export interface Session {
  client: Client;
  connection: Connection;
  temporal: TemporalConnectionConfig;
  /** The artifact store this client reads experiments' artifacts through (`PAM_STORE`, else the state folder). */
  store: StoreView;
  close(): Promise<void>;
}

/**
 * Connect to the pipeline's Temporal. `startServer`: start the embedded dev server if none runs (`pam run`,
 * `pam worker`); without it a missing server is an error (`runningTemporal`), for commands that only read or
 * nudge existing experiments.
 */
export async function openSession(log: (line: string) => void, options: { startServer: boolean }): Promise<Session> {
  const temporal = options.startServer ? await startedTemporal(log) : await runningTemporal(process.env);
  const { client, connection } = await connectClient(temporal);
  return { client, connection, temporal, store: cliStoreView(), close: () => connection.close() };
}

/**
 * A session when the configured server runs, else undefined: for commands that can answer from the store alone
 * (`pam list`, `pam compare`). Only the "no server running" refusal is swallowed; any other error is thrown.
 */
export async function sessionIfRunning(): Promise<Session | undefined> {
  try {
    return await openSession(() => undefined, { startServer: false });
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

async function startedTemporal(log: (line: string) => void): Promise<TemporalConnectionConfig> {
  const { config, devServer } = await ensureTemporal(process.env, { log });
  if (devServer?.started) log(`started the embedded Temporal dev server at ${devServer.address} (UI ${devServer.uiUrl})`);
  return config;
}

/** The store this process is configured with. */
export function cliStoreView(): StoreView {
  return openStoreView(configuredStoreLocation());
}

export function uiLink(session: Session, experiment: string): string {
  return `${session.temporal.uiUrl}/namespaces/${session.temporal.namespace}/workflows/${workflowIdOf(experiment)}`;
}

export type Outcome =
  | { kind: 'completed'; rows: StageRow[] }
  | { kind: 'parked'; rows: StageRow[] }
  | { kind: 'ended'; status: string; rows: StageRow[] };

/**
 * Poll the workflow (memo + heartbeats) and draw progress until it completes, parks on a failure, or ends; through
 * a server outage of any length (`OutageWatch`).
 */
export async function follow(session: Session, handle: WorkflowHandle, view = new ProgressView()): Promise<Outcome> {
  const hint = session.temporal.embedded ? ' (if the embedded server was stopped: `pam server start` in another shell)' : '';
  const watch = new OutageWatch((line) => view.note(line), hint);
  // The first looks come quickly, then once a second: a run of cache hits ends within a second or two, and a fixed
  // 1 s poll added up to a second to it (the cached demo rerun, docs/compute.md §9).
  let pollMs = 125;
  for (;;) {
    const snap = await watch.call(() => snapshot(handle));
    view.render(snap);
    if (snap.status === 'COMPLETED') {
      const result = (await watch.call(() => handle.result())) as { stages: StageRow[] };
      view.render({ ...snap, rows: result.stages });
      return { kind: 'completed', rows: result.stages };
    }
    if (snap.status !== 'RUNNING') return { kind: 'ended', status: snap.status, rows: snap.rows };
    if (snap.rows.some((r) => r.status === 'failed')) return { kind: 'parked', rows: snap.rows };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    pollMs = Math.min(1000, pollMs * 2);
  }
}
