/**
 * The heartbeats of one compute attempt, and its silence watch. Keep-alive heartbeats tell Temporal that the worker
 * lives, so a dead worker is noticed within `heartbeatTimeoutSeconds`; but they flow only while the compute thread
 * has sent progress or a log line within the stage's `maxSilenceSeconds`. A wedged thread (deadlock, stuck native
 * call, endless loop) would otherwise look alive until `stageTimeoutMinutes` (hours): past its silence limit the
 * keep-alive stops and `stalled` aborts with a retryable StageStalledError, which the engine relays to the thread
 * runtime to terminate the thread (src/threads/thread-pool.ts: abort, grace period, terminate).
 */
import type { StageHeartbeat } from '../contracts/stage-requests.js';
import { StageStalledError } from '../errors/pipeline-errors.js';
import type { StageProgress } from '../stages/stage-definition.js';
import type { StagePorts } from './stage-ports.js';

/** Heartbeat at least this often while the compute thread is heard from, so a dead worker is noticed quickly. */
const KEEPALIVE_MS = 2_000;

export interface SilenceLimit {
  /** The stage's `maxSilenceSeconds`. */
  seconds: number;
  /** Names the compute in the error: stage id, kind and shard. */
  label: string;
}

export interface AttemptHeartbeats {
  /** A progress report from the thread: heartbeat it at once. */
  report(progress: StageProgress): void;
  /** A log line from the thread: it is alive. */
  heard(): void;
  /** Aborted, with the StageStalledError as its reason, once the thread has been silent past the limit. */
  readonly stalled: AbortSignal;
  stop(): void;
}

/**
 * Start the heartbeats of one attempt from `first` (the previous attempt's last one on a retry): one now, one per
 * progress report, and a keep-alive every KEEPALIVE_MS in between while the thread is heard from.
 */
export function startHeartbeats(ports: StagePorts, first: StageHeartbeat, limit: SilenceLimit): AttemptHeartbeats {
  let last = first;
  let heardAt = Date.now();
  const stall = new AbortController();
  const maxSilenceMs = limit.seconds * 1000;
  ports.heartbeat(last);
  const keepalive = setInterval(() => ports.heartbeat(last), KEEPALIVE_MS);
  // Re-armed lazily from the last time the thread was heard from, so a report costs no timer work.
  const watch = (): void => {
    const silentMs = Date.now() - heardAt;
    if (silentMs < maxSilenceMs) {
      silence = setTimeout(watch, maxSilenceMs - silentMs);
      return;
    }
    clearInterval(keepalive);
    stall.abort(stalledError(limit, silentMs, last));
  };
  let silence = setTimeout(watch, maxSilenceMs);
  return {
    report(progress) {
      heardAt = Date.now();
      last = nextHeartbeat(last, progress);
      ports.heartbeat(last);
    },
    heard() {
      heardAt = Date.now();
    },
    stalled: stall.signal,
    stop() {
      clearInterval(keepalive);
      clearTimeout(silence);
    },
  };
}

/** The heartbeat after a progress report: one that carries no checkpoint keeps the last, so a retry still resumes. */
export function nextHeartbeat(last: StageHeartbeat, progress: StageProgress): StageHeartbeat {
  return { ...last, ...progress, checkpoint: progress.checkpoint ?? last.checkpoint };
}

function stalledError(limit: SilenceLimit, silentMs: number, last: StageHeartbeat): StageStalledError {
  const silenceSeconds = Math.round(silentMs / 100) / 10;
  const percent = Math.round(last.fraction * 100);
  return new StageStalledError(
    `${limit.label}: its compute thread sent no progress or log line for ${silenceSeconds} s ` +
      `(maxSilenceSeconds ${limit.seconds}); last progress "${last.message}" at ${percent}%; terminating it`,
    {
      details: {
        stage: limit.label,
        silenceSeconds,
        maxSilenceSeconds: limit.seconds,
        lastProgress: last.message,
        fraction: last.fraction,
      },
    },
  );
}
