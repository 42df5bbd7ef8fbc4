/**
 * `--set dotted.path=value` overrides, applied to the parsed YAML document before validation so that their
 * values go through exactly the same checks as the file's. The value is parsed as a YAML flow value (`3`, `true`,
 * `[1, 2]`, `{a: 1}`, `"x"`), like `dvc exp run -S` and Hydra's `key=value` overrides. Every node an override
 * writes is recorded in `overrideOf`, so validation errors about it name the override instead of a line.
 */
import { isCollection, isMap, isScalar, isSeq, Pair, parseDocument, type YAMLMap, type Document, type Node } from 'yaml';
import { formatFound, type ConfigIssue } from './config-issue.js';
import { findPair, firstLineOfYamlError } from './yaml-locations.js';

interface ParsedOverride {
  readonly path: readonly string[];
  readonly value: Node;
}

/** Splits at the first `=` (values may contain `=`) and parses the value; a ConfigIssue when malformed. */
export function parseOverride(text: string): ParsedOverride | ConfigIssue {
  const equals = text.indexOf('=');
  if (equals < 0) {
    return { override: text, message: 'expected dotted.path=value, found no "="' };
  }
  const pathText = text.slice(0, equals).trim();
  const path = pathText.split('.').map((segment) => segment.trim());
  if (path.some((segment) => segment === '')) {
    return { override: text, message: `expected dotted.path=value, found an empty key in path "${pathText}"` };
  }
  const valueText = text.slice(equals + 1);
  const valueDoc = parseDocument(valueText);
  const [error] = valueDoc.errors;
  if (error !== undefined) {
    const reason = firstLineOfYamlError(error.message);
    return { override: text, path, message: `cannot parse ${JSON.stringify(valueText)} as a YAML flow value: ${reason}` };
  }
  const value = valueDoc.contents ?? valueDoc.createNode(null);
  if (isCollection(value) && !value.flow) {
    return {
      override: text,
      path,
      message: `expected a YAML flow value (write mappings as {a: 1} and sequences as [1, 2]), found ${JSON.stringify(valueText)}`,
    };
  }
  return { path, value };
}

/** A mapping created on the way to a new key; marked so errors about its missing keys name the override. */
function newMapping(doc: Document, text: string, overrideOf: WeakMap<object, string>): YAMLMap {
  const map = doc.createNode({}) as YAMLMap;
  overrideOf.set(map, text);
  return map;
}

function applyOne(
  doc: Document,
  text: string,
  { path, value }: ParsedOverride,
  overrideOf: WeakMap<object, string>,
): ConfigIssue | undefined {
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    doc.contents = doc.createNode({});
  }
  let parent: unknown = doc.contents;
  for (const [index, segment] of path.entries()) {
    const isLast = index === path.length - 1;
    if (isSeq(parent)) {
      const position = Number(segment);
      if (!Number.isInteger(position) || position < 0 || position >= parent.items.length) {
        const message = `expected an index from 0 to ${parent.items.length - 1} of this sequence, found "${segment}"`;
        return { override: text, path: path.slice(0, index + 1), message };
      }
      if (isLast) {
        parent.items[position] = value;
        overrideOf.set(value, text);
        return undefined;
      }
      parent = parent.items[position];
      continue;
    }
    if (!isMap(parent)) {
      const found = formatFound(isScalar(parent) ? parent.value : parent);
      const message = `expected a mapping to set "${segment}" in, found ${found}`;
      return { override: text, path: path.slice(0, index), message };
    }
    let pair = findPair(parent, segment);
    if (pair === undefined) {
      pair = new Pair(doc.createNode(segment), isLast ? value : newMapping(doc, text, overrideOf));
      parent.items.push(pair);
      overrideOf.set(pair, text);
    } else if (isLast) {
      pair.value = value;
      overrideOf.set(pair, text);
    } else if (isScalar(pair.value) && pair.value.value === null) {
      // `with:` left empty in the file is null; setting a key below it makes it a mapping.
      pair.value = newMapping(doc, text, overrideOf);
    }
    if (isLast) overrideOf.set(value, text);
    parent = pair.value;
  }
  return undefined;
}

/**
 * Applies the overrides in order (a later one wins over an earlier one on the same path) and returns the
 * problems of the malformed ones, which are skipped.
 */
export function applyOverrides(doc: Document, overrides: readonly string[], overrideOf: WeakMap<object, string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const text of overrides) {
    const parsed = parseOverride(text);
    const issue = 'message' in parsed ? parsed : applyOne(doc, text, parsed, overrideOf);
    if (issue !== undefined) issues.push(issue);
  }
  return issues;
}
