/**
 * Several experiments side by side (`pam compare`, and the report): their results rows as one table of
 * metric × decoder with a column per experiment, and the config values that differ between them as flattened key
 * paths (the way `dvc exp diff` lists params). Pure: the caller reads configs and results tables.
 *
 * Shape: `experiments` names the columns in the order given; each `rows[i].cells[j]` is experiment j's mean ± SE
 * (n) of that metric and decoder, or null when it has no such row; `best` is the index of the experiment whose mean
 * is best in the metric's direction (null unless two or more have one). `params` lists every leaf path whose value
 * is not the same in all experiments, each value as JSON text (undefined where an experiment has no such key).
 */
import { compareByDirection, metricDirection, type MetricDirection } from './metric-direction.js';
import { orderResults } from './results-order.js';
import type { ResultRow } from './results-table.js';

export interface ExperimentResults {
  name: string;
  /** Its resolved config (src/contracts/pipeline-config.ts), or what is known of it; any JSON value. */
  config: unknown;
  /** Its results table; empty when it has none (yet). */
  results: readonly ResultRow[];
}

export interface ComparisonCell {
  mean: number;
  se: number;
  n: number;
}

export interface ComparisonRow {
  metric: string;
  better: MetricDirection;
  decoder: string;
  cells: (ComparisonCell | null)[];
  best: number | null;
}

export interface ParamDifference {
  /** e.g. `stages.train.params.decoders.pam.epochs` (a list of objects with an `id` is keyed by it). */
  path: string;
  values: (string | undefined)[];
}

export interface ExperimentComparison {
  experiments: string[];
  rows: ComparisonRow[];
  params: ParamDifference[];
}

/** Keys that differ between any two experiments by nature, so they are no difference worth listing. */
const ALWAYS_DIFFERENT = new Set(['experiment']);

export function compareExperiments(inputs: readonly ExperimentResults[]): ExperimentComparison {
  const all = orderResults(inputs.flatMap((input) => input.results));
  const seen = new Set<string>();
  const rows: ComparisonRow[] = [];
  for (const { metric, decoder } of all) {
    const id = `${metric}\u0000${decoder}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const cells = inputs.map((input) => {
      const found = input.results.find((r) => r.metric === metric && r.decoder === decoder);
      return found ? { mean: found.mean, se: found.se, n: found.n } : null;
    });
    rows.push({ metric, better: metricDirection(metric), decoder, cells, best: bestOf(metric, cells) });
  }
  return { experiments: inputs.map((input) => input.name), rows, params: differingParams(inputs.map((input) => input.config)) };
}

function bestOf(metric: string, cells: readonly (ComparisonCell | null)[]): number | null {
  const scored = cells.flatMap((cell, index) => (cell && !Number.isNaN(cell.mean) ? [{ index, mean: cell.mean }] : []));
  if (scored.length < 2) return null;
  return scored.reduce((a, b) => (compareByDirection(metric, b.mean, a.mean) < 0 ? b : a)).index;
}

function differingParams(configs: readonly unknown[]): ParamDifference[] {
  const flat = configs.map((config) => flattenConfig(config));
  const paths = [...new Set(flat.flatMap((leaves) => [...leaves.keys()]))].filter((p) => !ALWAYS_DIFFERENT.has(p));
  return paths.flatMap((path) => {
    const values = flat.map((leaves) => leaves.get(path));
    return values.every((v) => v === values[0]) ? [] : [{ path, values }];
  });
}

/**
 * Leaf key path → its value as JSON text, in the config's own order. Objects are walked; a list of objects that all
 * carry a string `id` (the stages) is walked by id, so a stage keeps its path whatever its place; any other list
 * is one value (a list of areas differs as a whole).
 */
export function flattenConfig(value: unknown, prefix = '', leaves = new Map<string, string>()): Map<string, string> {
  const byId = Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v) && typeof v['id'] === 'string');
  if (byId) {
    for (const item of value as Record<string, unknown>[]) {
      const { id, ...rest } = item;
      flattenConfig(rest, join(prefix, id as string), leaves);
    }
  } else if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flattenConfig(child, join(prefix, key), leaves);
  } else if (value !== undefined) {
    leaves.set(prefix, JSON.stringify(value));
  }
  return leaves;
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
