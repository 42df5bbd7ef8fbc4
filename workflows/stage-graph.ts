/**
 * The stage graph as the workflow schedules it: which stages may start now, and what a rerun of one stage takes
 * with it. Pure and deterministic (the workflow replays it), over the planner's order (src/contracts/plan.ts), so
 * stages that become ready together start in YAML order.
 */
import type { ResolvedStage } from '../src/contracts/pipeline-config.js';

/** Where a stage is in this run: `waiting` for its inputs or a slot, `running`, `committed`, or `failed` for good. */
export type StageState = 'waiting' | 'running' | 'committed' | 'failed';

/** The waiting stages whose every input is committed, in plan order, at most `slots` of them. */
export function readyStages(plan: readonly ResolvedStage[], state: ReadonlyMap<string, StageState>, slots: number): ResolvedStage[] {
  return plan
    .filter((s) => state.get(s.id) === 'waiting' && Object.values(s.inputs).every((id) => state.get(id) === 'committed'))
    .slice(0, Math.max(0, slots));
}

/** `id` and every stage that reads it, directly or through others. */
export function withDescendants(plan: readonly ResolvedStage[], id: string): Set<string> {
  const found = new Set([id]);
  // The plan is in dependency order, so one pass sees every reader after what it reads.
  for (const stage of plan) if (Object.values(stage.inputs).some((input) => found.has(input))) found.add(stage.id);
  return found;
}
