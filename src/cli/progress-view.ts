/**
 * Live per-stage progress for `pam run` / `pam retry`, driven by what Temporal knows: the stage table in the
 * workflow memo and the heartbeat details of pending activities. So it also works with external workers.
 * Bars on a TTY, redrawn in place; plain lines otherwise (CI logs), throttled. The words: src/cli/progress-format.ts.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { StageRow } from '../contracts/stage-requests.js';
import { parseStageHeartbeat } from '../engine/heartbeat-details.js';
import {
  fractionOf,
  nextTiming,
  shouldPrintPlain,
  stageLines,
  tenthOf,
  type LiveBeat,
  type PlainPrinted,
  type StageTiming,
} from './progress-format.js';

export interface ProgressSnapshot {
  status: string;
  rows: StageRow[];
  /** Stage id (`<id>#<shard>` per shard) → its last heartbeat and when its attempt started (ms since the epoch). */
  live: Map<string, LiveBeat & { startedAt?: number }>;
}

export async function snapshot(handle: WorkflowHandle): Promise<ProgressSnapshot> {
  const desc = await handle.describe();
  const rows = ((desc.memo ?? {}) as { stages?: StageRow[] }).stages ?? [];
  const live: ProgressSnapshot['live'] = new Map();
  for (const pending of desc.raw.pendingActivities ?? []) {
    const payload = pending.heartbeatDetails?.payloads?.[0];
    if (!payload) continue;
    const reading = parseStageHeartbeat(defaultPayloadConverter.fromPayload<unknown>(payload));
    if (!reading.ok) continue; // not ours to show (another version's, or damaged): no bar rather than a wrong one
    const beat = reading.heartbeat;
    const id = beat.shard ? `${beat.stageId}#${beat.shard.index}` : beat.stageId;
    const started = pending.lastStartedTime;
    const startedAt = started ? Number(started.seconds ?? 0) * 1000 + Math.floor((started.nanos ?? 0) / 1e6) : undefined;
    live.set(id, { ...beat, attempt: pending.attempt ?? 1, ...(startedAt ? { startedAt } : {}) });
  }
  return { status: desc.status.name, rows, live };
}

export class ProgressView {
  private printed = new Map<string, PlainPrinted>();
  private timings = new Map<string, StageTiming>();
  private drawnLines = 0;
  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly now: () => number = Date.now,
  ) {}

  /** A line about the run rather than a stage (a server outage): printed once; on a TTY the bars redraw below it. */
  note(line: string): void {
    this.out.write(`${line}\n`);
    this.drawnLines = 0;
  }

  render(snap: ProgressSnapshot): void {
    const now = this.now();
    const stages = snap.rows.map((row) => {
      const beats = [...snap.live.entries()].filter(([id]) => id === row.id || id.startsWith(`${row.id}#`)).map(([, b]) => b);
      const started = beats.map((b) => b.startedAt).filter((t): t is number => t !== undefined);
      const timing = nextTiming(
        this.timings.get(row.id) ?? {},
        row,
        fractionOf(beats),
        now,
        started.length ? Math.min(...started) : undefined,
      );
      this.timings.set(row.id, timing);
      return { row, beats, lines: stageLines(row, beats, timing, now) };
    });
    if (this.out.isTTY) {
      const lines = stages.flatMap((s) => s.lines);
      if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[J`);
      for (const line of lines) this.out.write(`\x1b[2K${line.slice(0, (this.out.columns ?? 120) - 1)}\n`);
      this.drawnLines = lines.length;
      return;
    }
    // Plain mode (logs): a stage's lines when its status changes, its progress reaches another tenth, or its text
    // changed and the last print is PLAIN_INTERVAL_MS old.
    for (const { row, beats, lines } of stages) {
      const fraction = fractionOf(beats);
      const text = lines.join('\n');
      if (!shouldPrintPlain(this.printed.get(row.id), row.status, fraction, text, now)) continue;
      this.printed.set(row.id, { status: row.status, tenth: fraction === undefined ? -1 : tenthOf(fraction), text, at: now });
      this.out.write(`${text}\n`);
    }
  }
}
