/**
 * Heartbeat details read back from Temporal (a retried attempt's `info.heartbeatDetails`, a pending activity's
 * details in `pam run`'s progress view) are plain JSON written by whichever worker ran the attempt before — another
 * version, another stage, or damaged — so they are parsed, never cast. An invalid one is ignored: the attempt then
 * resumes from its checkpoints on disk (or from zero), and the progress view shows no bar for it.
 */
import { z } from 'zod';
import type { StageHeartbeat } from '../contracts/stage-requests.js';
import type { StageLog } from './stage-ports.js';

const shardSchema = z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).strict();

/**
 * StageHeartbeat (src/contracts/stage-requests.ts). `passthrough`: a newer worker may add fields, which must not make
 * an older one discard the whole heartbeat. The checkpoint stays `unknown`: each runner validates its own token.
 */
export const stageHeartbeatSchema = z
  .object({
    stageId: z.string().min(1),
    fraction: z.number().min(0).max(1),
    message: z.string(),
    checkpoint: z.unknown().optional(),
    shard: shardSchema.optional(),
    // Damaged or foreign parts lose the parts only, not the heartbeat (its checkpoint still resumes the retry).
    parts: z
      .record(z.string(), z.object({ fraction: z.number().min(0).max(1), message: z.string() }))
      .optional()
      .catch(undefined),
  })
  .passthrough();

export type HeartbeatReading = { ok: true; heartbeat: StageHeartbeat } | { ok: false; problem: string };

/** Parses heartbeat details; `problem` says what was wrong in one line. */
export function parseStageHeartbeat(details: unknown): HeartbeatReading {
  const parsed = stageHeartbeatSchema.safeParse(details);
  if (parsed.success) return { ok: true, heartbeat: parsed.data };
  const problem = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ');
  return { ok: false, problem };
}

/**
 * The previous attempt's heartbeat of this stage (and shard), or undefined — with a warning when there was one
 * but it is not valid or belongs elsewhere.
 */
export function previousHeartbeatOf(
  details: unknown,
  expected: { stageId: string; shard?: { index: number; count: number } },
  log: StageLog,
): StageHeartbeat | undefined {
  if (details === undefined || details === null) return undefined;
  const reading = parseStageHeartbeat(details);
  const problem = !reading.ok
    ? reading.problem
    : reading.heartbeat.stageId !== expected.stageId
      ? `it is stage ${reading.heartbeat.stageId}'s`
      : reading.heartbeat.shard?.index !== expected.shard?.index
        ? `it is shard ${reading.heartbeat.shard?.index ?? '(none)'}'s`
        : undefined;
  if (problem === undefined && reading.ok) return reading.heartbeat;
  log.warn(`[${expected.stageId}] ignoring the previous attempt's heartbeat (${problem}); resuming from the checkpoints on disk`, {
    details: JSON.stringify(details)?.slice(0, 200),
  });
  return undefined;
}
