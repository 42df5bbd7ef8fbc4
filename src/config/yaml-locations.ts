/**
 * Maps key paths back to positions in the parsed YAML document (yaml 2 `parseDocument` keeps each node's
 * `range`, and `LineCounter.linePos` turns an offset into 1-based line/column), reports YAML syntax errors at the
 * parser's position, and finds duplicate keys (parsed with `uniqueKeys: false` so that a duplicate is reported
 * with its key path alongside every other error instead of stopping the parse).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { ConfigIssue, IssueLocation } from './config-issue.js';
import type { PathSegment } from './zod-describe.js';

export interface YamlSource {
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  /** Nodes and pairs written by a `--set` override, mapped to the override text. */
  readonly overrideOf: WeakMap<object, string>;
  /** The overrides in command-line order, to keep their errors in that order. */
  readonly overrides: readonly string[];
}

/** Text of a mapping key as a path segment (`1: x` has key "1", as in the JS object yaml builds). */
export function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** The last pair with this key: with duplicates, the value yaml's `toJS` keeps is the last one. */
export function findPair(map: { items: Pair[] }, key: string): Pair | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) if (keyText(map.items[i]) === key) return map.items[i];
  return undefined;
}

function sourceLocation(source: YamlSource, offset: number): IssueLocation {
  const { line, col } = source.lineCounter.linePos(offset);
  return { kind: 'source', offset, line, column: col };
}

function overrideLocation(source: YamlSource, text: string): IssueLocation {
  return { kind: 'override', text, order: source.overrides.indexOf(text) };
}

function overrideOf(source: YamlSource, node: unknown): string | undefined {
  return node !== null && typeof node === 'object' ? source.overrideOf.get(node) : undefined;
}

/** Start of a node's text, or undefined for nodes without a source range (created by an override). */
function startOf(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  // `key:` with no value parses as an empty null scalar placed after the colon; point at the key instead.
  if (!range || range[0] === range[1]) return undefined;
  return range[0];
}

/**
 * Where to report `issue`: its override, its explicit offset, or the deepest node of `issue.path` that exists
 * (so a missing key is reported at its parent mapping, as the user must add it there).
 */
export function locateIssue(source: YamlSource, issue: ConfigIssue): IssueLocation {
  if (issue.override !== undefined) return overrideLocation(source, issue.override);
  if (issue.offset !== undefined) return sourceLocation(source, issue.offset);
  const path = issue.path ?? [];
  let node: unknown = source.doc.contents;
  let offset = startOf(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    const marked = overrideOf(source, node);
    if (marked !== undefined) return overrideLocation(source, marked);
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = findPair(node, String(segment));
      if (pair === undefined) break;
      const markedPair = overrideOf(source, pair);
      if (markedPair !== undefined) return overrideLocation(source, markedPair);
      const keyStart = startOf(pair.key);
      node = pair.value;
      const pointAtKey = issue.atKey === true && index === path.length - 1;
      offset = (pointAtKey ? keyStart : (startOf(node) ?? keyStart)) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else break;
  }
  const marked = overrideOf(source, node);
  if (marked !== undefined) return overrideLocation(source, marked);
  return sourceLocation(source, offset);
}

/** YAML syntax errors at the parser's position, message without yaml's own " at line L, column C:" suffix. */
export function syntaxIssues(doc: Document): ConfigIssue[] {
  return doc.errors.map((error) => ({
    offset: error.pos[0],
    message:
      error.code === 'MULTIPLE_DOCS'
        ? 'YAML syntax error (MULTIPLE_DOCS): a pipeline file holds one YAML document, found a second one after "---"'
        : `YAML syntax error (${error.code}): ${firstLineOfYamlError(error.message)}`,
  }));
}

/** yaml's message without its " at line L, column C:" suffix and source excerpt (the position is given apart). */
export function firstLineOfYamlError(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:$/, '');
}

/** Every repeated key in every mapping, reported at the repeat with the position of the first occurrence. */
export function duplicateKeyIssues(source: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isSeq(node)) for (const [index, item] of node.items.entries()) walk(item, [...path, index]);
    if (!isMap(node)) return;
    const first = new Map<string, Pair>();
    for (const pair of node.items) {
      const key = keyText(pair);
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, pair);
      else {
        const { line, col } = source.lineCounter.linePos(startOf(earlier.key) ?? 0);
        issues.push({
          path: [...path, key],
          offset: startOf(pair.key),
          message: `duplicate key "${key}" (first defined at line ${line}, column ${col})`,
        });
      }
      walk(pair.value, [...path, key]);
    }
  };
  walk(source.doc.contents, []);
  return issues;
}
