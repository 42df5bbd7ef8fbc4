/**
 * Loads a pipeline YAML (`pipelines/*.yaml`) into the validated, fully defaulted ResolvedPipelineConfig and its
 * hash. Order: parse with positions (yaml `parseDocument` + `LineCounter`) → stop on syntax errors → apply
 * `--set` overrides to the document → validate (zod) and resolve against the stage catalog → size limits and
 * plan checks (each stage's cross-checks and memory estimate) → throw one ConfigError listing every problem as
 * `file:line:column: key.path: expected …, found …`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors/pipeline-errors.js';
import type { ResolvedPipelineConfig } from '../contracts/pipeline-config.js';
import { stageCatalog, type StageCatalog } from '../stages/catalog.js';
import type { StageEstimate } from '../stages/stage-plan.js';
import { hashCanonical } from '../util/canonical-json.js';
import { configErrorFromIssues } from './config-issue.js';
import { applyOverrides } from './overrides.js';
import { checkStagePlans } from './plan-checks.js';
import { resolveConfig } from './resolve-config.js';
import { configSizeIssues } from './size-limits.js';
import { duplicateKeyIssues, locateIssue, syntaxIssues, type YamlSource } from './yaml-locations.js';

export interface LoadedPipelineConfig {
  config: ResolvedPipelineConfig;
  /** `hashCanonical(config)`: changes only when the effective config does (not comments, key order, defaults). */
  hash: string;
  file: string;
  /** Stage id → its plan-time memory and output estimate (src/config/plan-checks.ts), for `pam run --dry-run`. */
  estimates: ReadonlyMap<string, StageEstimate>;
}

/**
 * Same as {@link loadPipelineConfig}, from the file's text; `file` names it in messages, and relative paths of
 * external inputs resolve against its folder.
 */
export function parsePipelineConfig(
  text: string,
  file: string,
  overrides: readonly string[] = [],
  catalog: StageCatalog = stageCatalog,
): LoadedPipelineConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys: false lets duplicate keys be reported with their key path, together with all other problems.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  const source: YamlSource = { doc, lineCounter, overrideOf: new WeakMap(), overrides };
  const locate = (issue: Parameters<typeof locateIssue>[1]) => locateIssue(source, issue);
  // A document with syntax errors is only partly parsed; validating it would mostly report follow-on noise.
  const syntax = syntaxIssues(doc);
  if (syntax.length > 0) throw configErrorFromIssues(file, syntax, locate);

  const issues = [...duplicateKeyIssues(source), ...applyOverrides(doc, overrides, source.overrideOf)];
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // yaml refuses documents whose aliases expand too much (`maxAliasCount`, against "billion laughs").
    throw new ConfigError(`${file}: cannot expand YAML aliases: ${(error as Error).message}`, { cause: error });
  }
  const resolution = resolveConfig(data, catalog, path.dirname(path.resolve(file)));
  issues.push(...resolution.issues);
  if (issues.length > 0 || resolution.config === undefined) throw configErrorFromIssues(file, issues, locate);
  // Checked on the resolved config only: they need every stage's validated params and a plan without cycles.
  const { config } = resolution;
  const plan = checkStagePlans(config, catalog);
  const planIssues = [...configSizeIssues(config), ...plan.issues];
  if (planIssues.length > 0) throw configErrorFromIssues(file, planIssues, locate);
  return { config, hash: hashCanonical(config), file, estimates: plan.estimates };
}

/**
 * Reads and resolves a pipeline YAML.
 * @param overrides `--set dotted.path=value` strings, applied in order before validation
 * @param catalog   stage kinds by `uses:` name (tests pass their own)
 * @throws ConfigError listing every problem, one per line
 */
export function loadPipelineConfig(
  file: string,
  overrides: readonly string[] = [],
  catalog: StageCatalog = stageCatalog,
): LoadedPipelineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the pipeline config: ${(error as Error).message}`, { cause: error });
  }
  return parsePipelineConfig(text, file, overrides, catalog);
}
