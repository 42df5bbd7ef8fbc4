/**
 * The words and timing of `pam run`'s progress lines, as pure functions of what Temporal shows (stage rows,
 * heartbeats) and a clock, so they are tested without waiting: elapsed time and an ETA per running stage (from
 * how fast its heartbeat fraction has been rising), one line per part of a stage that reports parts (train's
 * decoders, hyperalign's and select-voxels' areas), "done in 2m13s" once a stage is committed, and, when stdout is
 * a log rather than a terminal, at most one line per stage per tenth of progress or per 30 s.
 */
import type { StageHeartbeat, StageRow } from '../contracts/stage-requests.js';

/** A heartbeat as the view sees it: which attempt sent it. */
export type LiveBeat = StageHeartbeat & { attempt: number };

/** `2m13s`, `45s`, `1h02m` (seconds dropped past an hour). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

export function bar(fraction: number, width = 24): string {
  const filled = Math.round(clamp(fraction) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** Progress observed at a time: the first and the latest seen of one attempt make its rate. */
export interface ProgressSample {
  at: number;
  fraction: number;
}

/**
 * Milliseconds left at the rate progress rose from `first` to `latest`; undefined until it has risen by at least
 * 1 % over at least 2 s (a rate from one heartbeat or a resumed start would be noise).
 */
export function etaMs(first: ProgressSample, latest: ProgressSample): number | undefined {
  const rose = latest.fraction - first.fraction;
  const took = latest.at - first.at;
  if (rose < 0.01 || took < 2000) return undefined;
  return ((1 - latest.fraction) * took) / rose;
}

/** What the view remembers of a stage between polls. */
export interface StageTiming {
  /** When its current attempt started (Temporal's `lastStartedTime`, else when this view first saw it running). */
  startedAt?: number;
  first?: ProgressSample;
  latest?: ProgressSample;
  /** How long it ran, once it is done and this view saw it run. */
  tookMs?: number;
}

/** The timing after a poll at `now` that found the stage as `row` with `beats` (and the attempt's start, if known). */
export function nextTiming(
  timing: StageTiming,
  row: StageRow,
  fraction: number | undefined,
  now: number,
  attemptStart?: number,
): StageTiming {
  if (row.status === 'done' && timing.startedAt !== undefined && timing.tookMs === undefined)
    return { ...timing, tookMs: now - timing.startedAt };
  if (row.status !== 'running') return timing;
  const startedAt = attemptStart ?? timing.startedAt ?? now;
  // A new attempt (a retry) starts a new rate.
  const restarted = timing.startedAt !== undefined && startedAt !== timing.startedAt;
  if (fraction === undefined) return { startedAt, ...(restarted ? {} : { first: timing.first, latest: timing.latest }) };
  const sample = { at: now, fraction };
  const first = restarted || timing.first === undefined || fraction < timing.first.fraction ? sample : timing.first;
  return { startedAt, first, latest: sample };
}

/** The mean fraction of a stage's heartbeats (one per shard), or undefined when none is live. */
export function fractionOf(beats: readonly LiveBeat[]): number | undefined {
  return beats.length === 0 ? undefined : beats.reduce((sum, b) => sum + b.fraction, 0) / beats.length;
}

const ID_WIDTH = 14;

/** The lines of one stage: its own line, then one per part (indented) while it runs. */
export function stageLines(row: StageRow, beats: readonly LiveBeat[], timing: StageTiming, now: number): string[] {
  const status = row.status.padEnd(7);
  const head = `${row.id.padEnd(ID_WIDTH)} ${status}`;
  const fraction = fractionOf(beats);
  if (row.status === 'running' && fraction !== undefined) {
    const retry = beats.some((b) => b.attempt > 1) ? ` (attempt ${Math.max(...beats.map((b) => b.attempt))})` : '';
    const elapsed = timing.startedAt === undefined ? '' : ` ${formatDuration(now - timing.startedAt)}`;
    const eta = timing.first && timing.latest ? etaMs(timing.first, timing.latest) : undefined;
    const left = eta === undefined ? '' : `, ETA ${formatDuration(eta)}`;
    const parts = beats.flatMap((b) => Object.entries(b.parts ?? {}));
    // With parts, each part says what it does; the stage line keeps only its summary.
    const message = parts.length > 0 ? '' : ` ${beats.map((b) => b.message).join(' | ')}`;
    return [
      `${head} ${bar(fraction)} ${percent(fraction)}${elapsed}${left}${message}${retry}`,
      ...parts.map(
        ([name, part]) => `  ${name.padEnd(ID_WIDTH - 2)} ${' '.repeat(7)} ${bar(part.fraction)} ${percent(part.fraction)} ${part.message}`,
      ),
    ];
  }
  if (row.status === 'running')
    return [`${head}${timing.startedAt === undefined ? '' : ` ${formatDuration(now - timing.startedAt)}`} starting`];
  if (row.status === 'done') return [`${head} ${timing.tookMs === undefined ? 'done' : `done in ${formatDuration(timing.tookMs)}`}`];
  const note = row.error ?? (row.status === 'cached' ? `cache hit ${row.key?.slice(0, 12)}` : (row.reason ?? ''));
  return [`${head} ${note}`.trimEnd()];
}

/** A log line per stage at most this often while its progress stays within one tenth. */
export const PLAIN_INTERVAL_MS = 30_000;

/** What was last printed of a stage in plain mode. */
export interface PlainPrinted {
  status: string;
  tenth: number;
  text: string;
  at: number;
}

/**
 * Whether plain mode prints the stage now: its status changed, its progress reached a new tenth, or its text
 * changed and the last line is PLAIN_INTERVAL_MS old.
 */
export function shouldPrintPlain(
  last: PlainPrinted | undefined,
  status: string,
  fraction: number | undefined,
  text: string,
  now: number,
): boolean {
  if (last === undefined || last.status !== status) return true;
  if (fraction !== undefined && tenthOf(fraction) > last.tenth) return true;
  return text !== last.text && now - last.at >= PLAIN_INTERVAL_MS;
}

export function tenthOf(fraction: number): number {
  return Math.floor(clamp(fraction) * 10 + 1e-9);
}

function percent(fraction: number): string {
  return `${String(Math.floor(clamp(fraction) * 100)).padStart(3)}%`;
}

function clamp(fraction: number): number {
  return Math.max(0, Math.min(1, fraction));
}
