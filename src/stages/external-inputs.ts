/**
 * The external inputs a stage's params name (`StageSpec.externalInputs`, src/stages/stage-spec.ts), with their
 * paths read from the params, and copies of the params with those paths replaced: config loading makes them
 * absolute (src/config/resolve-stage.ts), the cache key puts a reference to their content digest in their place
 * (src/engine/stage-key-parts.ts).
 */
import type { ExternalInput, StageSpec } from './stage-spec.js';

export interface LocatedExternalInput extends ExternalInput {
  /** The path as the params hold it. */
  readonly path: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function externalInputsOf(spec: StageSpec, params: unknown): LocatedExternalInput[] {
  const inputs = spec.externalInputs?.(params as never) ?? [];
  const labels = new Set<string>();
  return inputs.map((input) => {
    // A spec that points at no path, or labels two inputs alike, is a bug in the spec, not in the YAML.
    if (labels.has(input.label)) throw new Error(`stage kind ${spec.kind} declares the external input "${input.label}" twice`);
    labels.add(input.label);
    let value: unknown = params;
    for (const key of input.param) value = isRecord(value) ? value[key] : undefined;
    if (typeof value !== 'string') {
      throw new Error(
        `stage kind ${spec.kind}: external input "${input.label}" names params.${input.param.join('.')}, which holds no path`,
      );
    }
    return { ...input, path: value };
  });
}

/** A deep copy of `params` with each input's path replaced by `replacement(input)`. */
export function withExternalPaths(
  params: Record<string, unknown>,
  inputs: readonly LocatedExternalInput[],
  replacement: (input: LocatedExternalInput) => unknown,
): Record<string, unknown> {
  const copy = structuredClone(params);
  for (const input of inputs) {
    const parents = input.param.slice(0, -1);
    let holder: Record<string, unknown> = copy;
    // externalInputsOf found a string at this location, so every step on the way is an object.
    for (const key of parents) holder = holder[key] as Record<string, unknown>;
    holder[input.param.at(-1)!] = replacement(input);
  }
  return copy;
}
