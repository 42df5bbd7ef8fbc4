/**
 * Validates the plain data of a pipeline YAML (after `--set` overrides) and builds the resolved config with every
 * default filled in. All problems are collected — top-level fields, each stage on its own, stage references and
 * cycles — so one run of the loader reports everything that is wrong with a file.
 */
import type { ResolvedPipelineConfig, ResolvedStage } from '../contracts/pipeline-config.js';
import type { StageCatalog } from '../stages/catalog.js';
import type { ConfigIssue } from './config-issue.js';
import { pipelineFileSchema, STAGE_ID_PATTERN, stageEntrySchema, type StageEntry } from './config-schema.js';
import { withAbsolutePaths } from './external-paths.js';
import { resolveStage } from './resolve-stage.js';
import { findStageCycles } from './stage-cycles.js';
import type { PathSegment } from './zod-describe.js';
import { issuesFromZod } from './zod-issues.js';

export interface ConfigResolution {
  /** Undefined when there are issues. */
  readonly config?: ResolvedPipelineConfig;
  readonly issues: ConfigIssue[];
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses each stage entry on its own, so one broken stage does not hide the problems of the others. */
function parseStageEntries(stages: Record<string, unknown>, issues: ConfigIssue[]): Map<string, StageEntry> {
  const entries = new Map<string, StageEntry>();
  for (const [id, raw] of Object.entries(stages)) {
    if (!STAGE_ID_PATTERN.test(id)) {
      issues.push({
        path: ['stages', id],
        atKey: true,
        message: `expected a stage id matching ${STAGE_ID_PATTERN.source}, found "${id}" (string)`,
      });
    }
    const entry = stageEntrySchema.safeParse(raw);
    if (entry.success) entries.set(id, entry.data);
    else issues.push(...issuesFromZod(entry.error, stageEntrySchema, raw, ['stages', id]));
  }
  return entries;
}

function cycleIssues(entries: ReadonlyMap<string, StageEntry>): ConfigIssue[] {
  // A stage reading itself is already reported by resolveStage; leave it out so it is not reported twice.
  const upstreamOf = new Map([...entries].map(([id, entry]) => [id, Object.values(entry.inputs).filter((upstream) => upstream !== id)]));
  return findStageCycles(upstreamOf).map((cycle) => ({
    path: ['stages', cycle[0], 'inputs'],
    message: `stages depend on each other in a cycle: ${cycle.join(' → ')}`,
  }));
}

/** @param yamlFolder the folder relative external-input paths resolve against (src/config/external-paths.ts) */
export function resolveConfig(data: unknown, catalog: StageCatalog, yamlFolder: string): ConfigResolution {
  const issues: ConfigIssue[] = [];
  const top = pipelineFileSchema.safeParse(data);
  if (!top.success) issues.push(...issuesFromZod(top.error, pipelineFileSchema, data));
  const rawStages = isMapping(data) && isMapping(data.stages) ? data.stages : undefined;
  const stages: ResolvedStage[] = [];
  if (rawStages !== undefined) {
    const stageIds = Object.keys(rawStages);
    if (stageIds.length === 0) {
      issues.push({ path: ['stages'], message: 'expected at least one stage, found an empty mapping' });
    }
    const entries = parseStageEntries(rawStages, issues);
    // Without a valid experiment seed the stages still get checked; their seeds are discarded with the config.
    const defaultSeed = top.success ? top.data.seed : 0;
    const runtimeDefaults = {
      maxSilenceSeconds: top.success ? top.data.runtime.maxSilenceSeconds : undefined,
      queue: top.success ? top.data.runtime.queues.default : 'cpu',
    };
    for (const [id, entry] of entries) {
      const resolution = resolveStage(id, entry, defaultSeed, stageIds, catalog, runtimeDefaults);
      issues.push(...resolution.issues);
      if (resolution.stage !== undefined) stages.push(withAbsolutePaths(resolution.stage, catalog.get(entry.uses)!, yamlFolder));
    }
    issues.push(...cycleIssues(entries));
  }
  if (!top.success || issues.length > 0) return { issues };
  // The runtime's silence limit lives on in each stage's effective value (resolveStage), not twice in the hash.
  const { maxSilenceSeconds: _resolvedIntoStages, ...runtime } = top.data.runtime;
  const { experiment, description, seed } = top.data;
  const nonFinite = stages.flatMap((stage) => nonFiniteIssues(stage.params, ['stages', stage.id, 'with']));
  if (nonFinite.length > 0) return { issues: nonFinite };
  return { config: { experiment, description, seed, runtime, stages }, issues };
}

/**
 * YAML's `.inf`/`.nan` pass a plain `z.number()`, but a config holding them cannot be hashed (canonical JSON has
 * no Infinity or NaN), so they are refused wherever a stage's params schema let them through.
 */
function nonFiniteIssues(value: unknown, path: PathSegment[]): ConfigIssue[] {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? [] : [{ path, message: `expected a finite number, found ${value} (number)` }];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => nonFiniteIssues(member, [...path, Array.isArray(value) ? Number(key) : key]));
}
