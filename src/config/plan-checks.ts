/**
 * Plan-time checks over a resolved config, before anything runs: each stage's spec estimates its memory and its
 * outputs from its params and its inputs' planned outputs (`StageSpec.estimate`), cross-checks its params against them
 * (`StageSpec.checkPlan`), and a stage whose estimate exceeds the memory limit is refused, naming the key that scales
 * its largest part. Stages are visited in plan order (src/contracts/plan.ts), so every input is estimated first.
 */
import os from 'node:os';
import type { ResolvedPipelineConfig } from '../contracts/pipeline-config.js';
import { planStages } from '../contracts/plan.js';
import type { StageCatalog } from '../stages/catalog.js';
import { formatBytes, totalBytes, type PlannedInput, type StageEstimate } from '../stages/stage-plan.js';
import type { ConfigIssue } from './config-issue.js';

export interface PlanCheckResult {
  /** Stage id → its estimate (a kind without `estimate` gets no memory parts and an unknown output). */
  readonly estimates: ReadonlyMap<string, StageEstimate>;
  readonly issues: ConfigIssue[];
}

const GIB = 1024 ** 3;

/** `runtime.maxStageMemoryGiB`, else the memory of the machine that plans (os.totalmem). */
export function stageMemoryLimitBytes(config: ResolvedPipelineConfig): number {
  const configured = config.runtime.maxStageMemoryGiB;
  return configured === undefined ? os.totalmem() : configured * GIB;
}

function limitText(config: ResolvedPipelineConfig, limit: number): string {
  return config.runtime.maxStageMemoryGiB === undefined
    ? `this machine's ${formatBytes(limit)} (os.totalmem; set runtime.maxStageMemoryGiB to choose a limit)`
    : `runtime.maxStageMemoryGiB = ${config.runtime.maxStageMemoryGiB}`;
}

function memoryIssue(id: string, uses: string, estimate: StageEstimate, limitBytes: number, limit: string): ConfigIssue | undefined {
  const total = totalBytes(estimate.memory);
  // NaN or Infinity from absurd params counts as over the limit.
  if (Number.isFinite(total) && total <= limitBytes) return undefined;
  const largest = estimate.memory.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return {
    path: ['stages', id, ...largest.key],
    message: `stage "${id}" (${uses}) needs about ${formatBytes(total)} of memory, more than ${limit}; largest part: ${largest.what} = ${formatBytes(largest.bytes)}`,
  };
}

export function checkStagePlans(config: ResolvedPipelineConfig, catalog: StageCatalog): PlanCheckResult {
  const estimates = new Map<string, StageEstimate>();
  const issues: ConfigIssue[] = [];
  const limitBytes = stageMemoryLimitBytes(config);
  const limit = limitText(config, limitBytes);
  // A stage over the limit makes its consumers' estimates absurd too: only the first one is reported.
  const overLimit = new Set<string>();
  for (const stage of planStages(config)) {
    const spec = catalog.get(stage.uses);
    if (spec === undefined) continue; // reported by resolve-stage.ts; a config with issues never gets here
    const inputs: Record<string, PlannedInput> = Object.fromEntries(
      Object.entries(stage.inputs).map(([role, from]) => [role, { ...estimates.get(from)?.output, from }]),
    );
    const params = stage.params as never;
    for (const issue of spec.checkPlan?.(params, inputs) ?? []) {
      issues.push({ path: ['stages', stage.id, ...issue.key], message: issue.message });
    }
    const estimate = spec.estimate?.(params, inputs) ?? { memory: [], output: {} };
    estimates.set(stage.id, estimate);
    if (Object.values(stage.inputs).some((from) => overLimit.has(from))) {
      overLimit.add(stage.id);
      continue;
    }
    const issue = estimate.memory.length > 0 ? memoryIssue(stage.id, stage.uses, estimate, limitBytes, limit) : undefined;
    if (issue) {
      issues.push(issue);
      overLimit.add(stage.id);
    }
  }
  return { estimates, issues };
}
