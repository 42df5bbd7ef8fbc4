/**
 * The log of one compute attempt, as it will be kept with its outcome (src/store/stage-log-files.ts): every line the
 * compute thread sends (backend choice, warnings), the engine's own lines about the stage (resuming from a
 * checkpoint, a heartbeat it ignored) and a progress milestone each time the stage passes another tenth of its
 * work, each line stamped with its ISO time and level. The worker log still hears every line (`tee`); heartbeats
 * are not logged one by one (a training stage sends several per second).
 */
import type { StageProgress } from '../stages/stage-definition.js';
import type { StageLog } from './stage-ports.js';

/** A milestone line each time progress crosses another multiple of this fraction. */
const MILESTONE_STEP = 0.1;

export class StageLogBook {
  private readonly lines: string[] = [];
  /** The last milestone logged, in steps of MILESTONE_STEP; -1 before the first. */
  private milestone = -1;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Record a line (multi-line messages are indented after their first line, so each record starts with a time). */
  record(level: 'info' | 'warn' | 'error', message: string): void {
    const text = message.replace(/\r?\n/g, '\n    ');
    this.lines.push(`${this.now().toISOString()} ${level.padEnd(5)} ${text}`);
  }

  /** A progress report: recorded when it reaches a tenth not yet logged (0 %, 10 %, … 100 %). */
  progress(progress: StageProgress): void {
    const step = Math.floor(progress.fraction / MILESTONE_STEP + 1e-9);
    if (step <= this.milestone) return;
    this.milestone = step;
    this.record('info', `progress ${Math.round(progress.fraction * 100)}%: ${progress.message}`);
  }

  /** A log that records each line here and passes it on to `log`. */
  tee(log: StageLog): StageLog {
    return {
      info: (message, meta) => {
        this.record('info', message);
        log.info(message, meta);
      },
      warn: (message, meta) => {
        this.record('warn', message);
        log.warn(message, meta);
      },
    };
  }

  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}
