/**
 * Resolves one `stages:` entry against the stage catalog: the kind must exist, the input roles must be exactly
 * the kind's required roles plus any of its optional ones, each input must name another stage of the file, and
 * `with:` must pass the kind's own (strict) params schema, whose defaults then fill the resolved params.
 */
import type { ResolvedStage } from '../contracts/pipeline-config.js';
import type { StageCatalog } from '../stages/catalog.js';
import { defaultMaxSilenceSeconds, type StageSpec } from '../stages/stage-spec.js';
import type { ConfigIssue } from './config-issue.js';
import type { StageEntry } from './config-schema.js';
import { issuesFromZod } from './zod-issues.js';

export interface StageResolution {
  /** Undefined when the stage has problems (then `issues` is non-empty). */
  readonly stage?: ResolvedStage;
  readonly issues: ConfigIssue[];
}

function listOrNone(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}

function roleIssues(id: string, entry: StageEntry, spec: StageSpec): ConfigIssue[] {
  const required = spec.inputs;
  const optional = spec.optionalInputs ?? [];
  const allowed = [...required.map((role) => `${role} (required)`), ...optional.map((role) => `${role} (optional)`)];
  const issues: ConfigIssue[] = [];
  for (const role of Object.keys(entry.inputs)) {
    if (required.includes(role) || optional.includes(role)) continue;
    issues.push({
      path: ['stages', id, 'inputs', role],
      atKey: true,
      message: `unknown input role "${role}" for kind "${spec.kind}"; allowed roles: ${listOrNone(allowed)}`,
    });
  }
  for (const role of required) {
    if (role in entry.inputs) continue;
    issues.push({
      path: ['stages', id, 'inputs', role],
      message: `required input role "${role}" of kind "${spec.kind}" is missing; map it to an upstream stage id`,
    });
  }
  return issues;
}

function referenceIssues(id: string, entry: StageEntry, stageIds: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [role, upstream] of Object.entries(entry.inputs)) {
    const path = ['stages', id, 'inputs', role];
    if (upstream === id) {
      issues.push({ path, message: `a stage cannot read its own output, found "${upstream}" (the stage itself)` });
    } else if (!stageIds.includes(upstream)) {
      issues.push({ path, message: `expected one of the stage ids ${stageIds.join(', ')}, found "${upstream}" (string)` });
    }
  }
  return issues;
}

export function resolveStage(
  id: string,
  entry: StageEntry,
  defaultSeed: number,
  stageIds: readonly string[],
  catalog: StageCatalog,
  runtimeDefaults: { maxSilenceSeconds?: number; queue: string },
): StageResolution {
  const issues = referenceIssues(id, entry, stageIds);
  const spec = catalog.get(entry.uses);
  if (spec === undefined) {
    const known = [...catalog.keys()].sort();
    const knownText = known.length === 0 ? 'the stage catalog is empty' : `known kinds: ${known.join(', ')}`;
    issues.push({
      path: ['stages', id, 'uses'],
      message: `unknown stage kind "${entry.uses}"; ${knownText}`,
    });
    return { issues };
  }
  issues.push(...roleIssues(id, entry, spec));
  const params = spec.params.safeParse(entry.with);
  if (!params.success) issues.push(...issuesFromZod(params.error, spec.params, entry.with, ['stages', id, 'with']));
  if (issues.length > 0 || !params.success) return { issues };
  const stage: ResolvedStage = {
    id,
    uses: spec.kind,
    seed: entry.seed ?? defaultSeed,
    inputs: entry.inputs,
    params: params.data as Record<string, unknown>,
    maxSilenceSeconds: entry.maxSilenceSeconds ?? runtimeDefaults.maxSilenceSeconds ?? defaultMaxSilenceSeconds(spec),
    queue: entry.queue ?? runtimeDefaults.queue,
  };
  return { stage, issues };
}
