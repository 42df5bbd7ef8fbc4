/**
 * Reads a zod 3 schema back as plain words ("an integer from 1 to 3600", "one of auto | cpu") so error messages
 * say what was expected from the schema itself rather than from zod's generic issue text, and lists the keys an
 * object schema allows. Only the schema kinds used by config and stage params are described; anything else
 * yields `undefined` and the caller falls back to the zod issue.
 */
import { z } from 'zod';

export type PathSegment = string | number;

type ZodPipe = z.ZodPipeline<z.ZodTypeAny, z.ZodTypeAny>;

/**
 * The one read of zod's private `_def`, for what zod 3 exposes no accessor for (zod v3/types.d.ts): a pipeline's
 * input schema, whether a number bound is inclusive and its `multipleOf` (the `minValue`/`maxValue` getters drop
 * both), a string's regex checks and its exact `length` (the `minLength`/`maxLength` getters skip it), and an
 * array's length bounds.
 */
function privateDef(schema: ZodPipe): z.ZodPipelineDef<z.ZodTypeAny, z.ZodTypeAny>;
function privateDef(schema: z.ZodNumber): z.ZodNumberDef;
function privateDef(schema: z.ZodString): z.ZodStringDef;
function privateDef(schema: z.ZodArray<z.ZodTypeAny>): z.ZodArrayDef;
function privateDef(schema: ZodPipe | z.ZodNumber | z.ZodString | z.ZodArray<z.ZodTypeAny>) {
  return schema._def;
}

/** Strips wrappers that do not change what a value must look like. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault) current = current.removeDefault();
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodEffects) current = current.innerType();
    else if (current instanceof z.ZodBranded || current instanceof z.ZodReadonly) current = current.unwrap();
    else if (current instanceof z.ZodCatch) current = current.removeCatch();
    else if (current instanceof z.ZodPipeline) current = privateDef(current).in;
    else return current;
  }
}

/** The sub-schema that validates the value at `path` below `root`, when it can be followed. */
export function schemaAtPath(root: z.ZodTypeAny, path: readonly PathSegment[]): z.ZodTypeAny | undefined {
  let current: z.ZodTypeAny | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    const inner = unwrap(current);
    if (inner instanceof z.ZodObject) current = (inner.shape as Record<string, z.ZodTypeAny>)[String(segment)];
    else if (inner instanceof z.ZodRecord) current = inner.valueSchema as z.ZodTypeAny;
    else if (inner instanceof z.ZodArray) current = inner.element as z.ZodTypeAny;
    else if (inner instanceof z.ZodTuple) current = (inner.items as z.ZodTypeAny[])[Number(segment)];
    else return undefined;
  }
  return current;
}

/** Keys an object schema accepts, or `undefined` when the schema at hand is not an object. */
export function allowedKeys(schema: z.ZodTypeAny | undefined): string[] | undefined {
  if (schema === undefined) return undefined;
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape as object) : undefined;
}

/** "≥ 1", "from 1 to 3600", "> 0 and ≤ 1": inclusive pairs read as a range, anything else is spelt out. */
function describeBounds(min?: { value: number; inclusive: boolean }, max?: { value: number; inclusive: boolean }) {
  if (min?.inclusive && max?.inclusive) return `from ${min.value} to ${max.value}`;
  const parts: string[] = [];
  if (min) parts.push(`${min.inclusive ? '≥' : '>'} ${min.value}`);
  if (max) parts.push(`${max.inclusive ? '≤' : '<'} ${max.value}`);
  return parts.join(' and ');
}

function withBounds(noun: string, bounds: string, extras: readonly string[] = []): string {
  return [noun, bounds, ...extras].filter((part) => part !== '').join(' ');
}

function describeNumber(schema: z.ZodNumber): string {
  let integer = false;
  let min: { value: number; inclusive: boolean } | undefined;
  let max: { value: number; inclusive: boolean } | undefined;
  const extras: string[] = [];
  for (const check of privateDef(schema).checks) {
    if (check.kind === 'int') integer = true;
    else if (check.kind === 'min') min = check;
    else if (check.kind === 'max') max = check;
    else if (check.kind === 'multipleOf') extras.push(`(a multiple of ${check.value})`);
    else if (check.kind === 'finite') extras.push('(finite)');
  }
  return withBounds(integer ? 'an integer' : 'a number', describeBounds(min, max), extras);
}

function describeString(schema: z.ZodString): string {
  let min: number | undefined;
  let max: number | undefined;
  const patterns: string[] = [];
  for (const check of privateDef(schema).checks) {
    if (check.kind === 'min') min = check.value;
    else if (check.kind === 'max') max = check.value;
    else if (check.kind === 'length') [min, max] = [check.value, check.value];
    else if (check.kind === 'regex') patterns.push(`matching ${check.regex.source}`);
    else patterns.push(`(${check.kind})`);
  }
  if (min === 1 && max === undefined) return withBounds('a non-empty string', '', patterns);
  if (min !== undefined && min === max) return withBounds(`a string of length ${min}`, '', patterns);
  const noun = min === undefined && max === undefined ? 'a string' : 'a string of length';
  const bounds = describeBounds(
    min === undefined ? undefined : { value: min, inclusive: true },
    max === undefined ? undefined : { value: max, inclusive: true },
  );
  return withBounds(noun, bounds, patterns);
}

/** Plain-words description of the values `schema` accepts. */
export function describeSchema(schema: z.ZodTypeAny): string | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) return describeNumber(inner);
  if (inner instanceof z.ZodString) return describeString(inner);
  if (inner instanceof z.ZodBoolean) return 'a boolean (true or false)';
  if (inner instanceof z.ZodEnum) return `one of ${(inner.options as string[]).join(' | ')}`;
  if (inner instanceof z.ZodNativeEnum) return `one of ${Object.values(inner.enum as object).join(' | ')}`;
  if (inner instanceof z.ZodLiteral) return `exactly ${JSON.stringify(inner.value)}`;
  if (inner instanceof z.ZodObject || inner instanceof z.ZodRecord) return 'a mapping';
  if (inner instanceof z.ZodArray) {
    const element = describeSchema(inner.element as z.ZodTypeAny);
    const { minLength, maxLength, exactLength } = privateDef(inner);
    const min = (exactLength ?? minLength)?.value;
    const max = (exactLength ?? maxLength)?.value;
    let noun = 'a sequence';
    if (min !== undefined && max !== undefined) noun = `a sequence of ${min === max ? min : `${min} to ${max}`} items`;
    else if (min === 1) noun = 'a non-empty sequence';
    else if (min !== undefined) noun = `a sequence of at least ${min} items`;
    else if (max !== undefined) noun = `a sequence of at most ${max} items`;
    return element === undefined ? noun : `${noun}, each ${element}`;
  }
  if (inner instanceof z.ZodTuple) return `a sequence of ${(inner.items as unknown[]).length} items`;
  if (inner instanceof z.ZodUnion) {
    const options = (inner.options as z.ZodTypeAny[]).map(describeSchema);
    return options.every((o) => o !== undefined) ? options.join(' or ') : undefined;
  }
  return undefined;
}
