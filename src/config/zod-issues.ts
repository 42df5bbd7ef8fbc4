/**
 * Translates zod 3 issues into ConfigIssues whose text says what was expected (read from the schema, see
 * zod-describe.ts) and what was found (the value and its type). Issue codes follow zod 3's `ZodIssueCode`
 * (zod `src/v3/ZodError.ts`).
 */
import type { z } from 'zod';
import { formatFound, type ConfigIssue } from './config-issue.js';
import { allowedKeys, describeSchema, schemaAtPath, type PathSegment } from './zod-describe.js';

/** The value at `path` inside plain parsed YAML data, or `undefined` where the path does not exist. */
export function valueAtPath(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  array: 'a sequence',
  null: 'null',
};

/** Used only when the schema at the issue's path cannot be described (unions of exotic types, lazy schemas). */
function expectedFromIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    case 'invalid_enum_value':
      return `one of ${issue.options.join(' | ')}`;
    case 'invalid_literal':
      return `exactly ${JSON.stringify(issue.expected)}`;
    case 'too_small':
      return `${TYPE_WORDS[issue.type] ?? issue.type} ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `${TYPE_WORDS[issue.type] ?? issue.type} ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_string':
      return `a string (${typeof issue.validation === 'string' ? issue.validation : 'in the required format'})`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.multipleOf)}`;
    default:
      return `a valid value (${issue.message})`;
  }
}

function translate(issue: z.ZodIssue, root: z.ZodTypeAny, data: unknown, prefix: readonly PathSegment[]): ConfigIssue[] {
  const path = [...prefix, ...issue.path];
  const value = valueAtPath(data, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(schemaAtPath(root, issue.path)) ?? [];
    const allowedText = allowed.length === 0 ? 'this mapping takes no keys' : `allowed keys: ${allowed.join(', ')}`;
    return issue.keys.map((key) => ({
      path: [...path, key],
      atKey: true,
      message: `unknown key "${key}"; ${allowedText}`,
    }));
  }
  const schema = schemaAtPath(root, issue.path);
  const expected = (schema && describeSchema(schema)) ?? expectedFromIssue(issue);
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    const key = path[path.length - 1];
    return [{ path, message: `required key "${String(key)}" is missing; expected ${expected}` }];
  }
  if (issue.code === 'custom') {
    return [{ path, message: `${issue.message}, found ${formatFound(value)}` }];
  }
  return [{ path, message: `expected ${expected}, found ${formatFound(value)}` }];
}

/**
 * @param root   the schema that produced `error`, used to describe expectations and allowed keys
 * @param data   the value that was validated, to quote what was found
 * @param prefix key path of `data` inside the whole config (e.g. `['stages', 'train', 'with']`)
 */
export function issuesFromZod(error: z.ZodError, root: z.ZodTypeAny, data: unknown, prefix: readonly PathSegment[] = []): ConfigIssue[] {
  return error.issues.flatMap((issue) => translate(issue, root, data, prefix));
}
