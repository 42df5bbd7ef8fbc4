/**
 * One problem found in a pipeline config, and how a list of them becomes the single ConfigError the loader
 * throws: one line per problem, `<where>: <key path>: <what was expected>, found <value> (<type>)`, where
 * `<where>` is `file:line:column` or the `--set` override that introduced the value. Plain text, no colours.
 */
import { ConfigError } from '../errors/pipeline-errors.js';
import type { PathSegment } from './zod-describe.js';

export interface ConfigIssue {
  /** Key path of the offending value; absent for YAML syntax errors, which have no key path. */
  readonly path?: readonly PathSegment[];
  readonly message: string;
  /** Point at the key of the last path segment rather than its value (unknown, duplicate or badly named keys). */
  readonly atKey?: boolean;
  /** Explicit source offset (YAML syntax errors, duplicate keys), used instead of resolving `path`. */
  readonly offset?: number;
  /** The `--set` text this problem belongs to, used instead of a source position. */
  readonly override?: string;
}

/** Where an issue is reported: a source position, or the `--set` override (kept in command-line order). */
export type IssueLocation =
  | { readonly kind: 'source'; readonly offset: number; readonly line: number; readonly column: number }
  | { readonly kind: 'override'; readonly text: string; readonly order: number };

/** `stages.train.with.layers[2]`; the document root reads `(top level)`. */
export function formatKeyPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(top level)';
  return path.reduce<string>((text, segment, index) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return index === 0 ? segment : `${text}.${segment}`;
  }, '');
}

const MAX_FOUND_CHARS = 60;

/** A value as the user wrote it, with its YAML type: `"ten" (string)`, `[1,2] (sequence)`, `nothing`. */
export function formatFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty value)';
  const type = Array.isArray(value) ? 'sequence' : typeof value === 'object' ? 'mapping' : typeof value;
  let text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (text.length > MAX_FOUND_CHARS) text = `${text.slice(0, MAX_FOUND_CHARS - 1)}…`;
  return `${text} (${type})`;
}

function compareLocations(a: IssueLocation, b: IssueLocation): number {
  if (a.kind === 'source' && b.kind === 'source') return a.offset - b.offset;
  if (a.kind === 'override' && b.kind === 'override') return a.order - b.order;
  return a.kind === 'source' ? -1 : 1;
}

/**
 * Formats every issue on its own line, in source order and then override order, and drops exact repeats
 * (zod can report one bad value twice, e.g. a float that also breaks a minimum).
 */
export function configErrorFromIssues(
  file: string,
  issues: readonly ConfigIssue[],
  locate: (issue: ConfigIssue) => IssueLocation,
): ConfigError {
  const located = issues.map((issue) => ({ issue, location: locate(issue) }));
  located.sort((a, b) => compareLocations(a.location, b.location));
  const lines = new Set<string>();
  for (const { issue, location } of located) {
    const where = location.kind === 'source' ? `${file}:${location.line}:${location.column}` : `--set ${location.text}`;
    const what = issue.path === undefined ? issue.message : `${formatKeyPath(issue.path)}: ${issue.message}`;
    lines.add(`${where}: ${what}`);
  }
  return new ConfigError([`${file}: ${lines.size} config error(s):`, ...lines].join('\n'));
}
