/**
 * Live per-stage progress for `pam run` / `pam retry`, driven by what Temporal knows: the stage table in the
 * workflow memo and the heartbeat details of pending activities. So it also works with external workers.
 * Bars on a TTY; plain lines otherwise (CI logs).
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { StageHeartbeat, StageRow } from '../contracts/stage-requests.js';
import { parseStageHeartbeat } from '../engine/heartbeat-details.js';

export interface ProgressSnapshot {
  status: string;
  rows: StageRow[];
  live: Map<string, StageHeartbeat & { attempt: number }>;
}

export async function snapshot(handle: WorkflowHandle): Promise<ProgressSnapshot> {
  const desc = await handle.describe();
  const rows = ((desc.memo ?? {}) as { stages?: StageRow[] }).stages ?? [];
  const live = new Map<string, StageHeartbeat & { attempt: number }>();
  for (const pending of desc.raw.pendingActivities ?? []) {
    const payload = pending.heartbeatDetails?.payloads?.[0];
    if (!payload) continue;
    const reading = parseStageHeartbeat(defaultPayloadConverter.fromPayload<unknown>(payload));
    if (!reading.ok) continue; // not ours to show (another version's, or damaged): no bar rather than a wrong one
    const beat = reading.heartbeat;
    const id = beat.shard ? `${beat.stageId}#${beat.shard.index}` : beat.stageId;
    live.set(id, { ...beat, attempt: pending.attempt ?? 1 });
  }
  return { status: desc.status.name, rows, live };
}

/** Plain-mode progress lines per running stage at most this often. */
const PLAIN_INTERVAL_MS = 10_000;

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export class ProgressView {
  private printed = new Map<string, { status: string; line: string; at: number }>();
  private drawnLines = 0;
  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  /** A line about the run rather than a stage (a server outage): printed once; on a TTY the bars redraw below it. */
  note(line: string): void {
    this.out.write(`${line}\n`);
    this.drawnLines = 0;
  }

  render(snap: ProgressSnapshot): void {
    const lines = snap.rows.map((row) => {
      const beats = [...snap.live.entries()].filter(([id]) => id === row.id || id.startsWith(`${row.id}#`)).map(([, b]) => b);
      const status = row.status.padEnd(7);
      if (row.status === 'running' && beats.length > 0) {
        const fraction = beats.reduce((s, b) => s + b.fraction, 0) / beats.length;
        const retry = beats.some((b) => b.attempt > 1) ? ` (attempt ${Math.max(...beats.map((b) => b.attempt))})` : '';
        return `${row.id.padEnd(14)} ${status} ${bar(fraction)} ${beats.map((b) => b.message).join(' | ')}${retry}`;
      }
      const note = row.error ?? (row.status === 'cached' ? `cache hit ${row.key?.slice(0, 12)}` : (row.reason ?? ''));
      return `${row.id.padEnd(14)} ${status} ${note}`;
    });
    if (this.out.isTTY) {
      if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A`);
      for (const line of lines) this.out.write(`\x1b[2K${line.slice(0, (this.out.columns ?? 120) - 1)}\n`);
      this.drawnLines = lines.length;
      return;
    }
    // Plain mode (logs): a line when a stage's status changes, and for running stages when the message changed
    // and the last line is at least PLAIN_INTERVAL_MS old.
    const now = Date.now();
    snap.rows.forEach((row, i) => {
      const line = lines[i]!;
      const last = this.printed.get(row.id);
      const statusChanged = last?.status !== row.status;
      const messageChanged = last?.line !== line;
      if (statusChanged || (messageChanged && now - last.at >= PLAIN_INTERVAL_MS)) {
        this.printed.set(row.id, { status: row.status, line, at: now });
        this.out.write(`${line}\n`);
      }
    });
  }
}
