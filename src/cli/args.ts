/**
 * Argv parsing for `pam` with node:util `parseArgs` (strict: unknown options and missing values are errors):
 * positionals, repeatable `--key value` / `--key=value`, and boolean flags.
 */
import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors/pipeline-errors.js';

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const config: OptionsConfig = {};
  for (const name of valued) config[name] = { type: 'string', multiple: true };
  for (const name of booleans) config[name] = { type: 'boolean' };
  const { values, positionals } = strictParse(argv, config);
  const parsed: ParsedArgs = { positionals, options: new Map(), flags: new Set() };
  for (const name of valued) if (Array.isArray(values[name])) parsed.options.set(name, values[name] as string[]);
  for (const name of booleans) if (values[name] === true) parsed.flags.add(name);
  return parsed;
}

/** node:util parseArgs, strict; what it refuses becomes a ConfigError (bad input: `pam` exits 2). */
function strictParse(argv: readonly string[], config: OptionsConfig) {
  try {
    return parseArgv({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw new ConfigError(badOption(argv, config) ?? error.message, { cause: error });
  }
}

/** node:util parseArgs throws TypeErrors whose `code` starts with ERR_PARSE_ARGS_ (Node `lib/internal/errors.js`). */
function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');
}

/**
 * Our words for the option the strict parse refused, found by re-reading argv leniently as tokens and applying the
 * strict checks (Node `lib/internal/util/parse_args/parse_args.js`: unknown option, string option without a value or
 * with an option-like one, boolean option given `=value`), so each message names the option and what it accepts.
 */
function badOption(argv: readonly string[], config: OptionsConfig): string | undefined {
  const { tokens } = parseArgv({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = config[token.name];
    if (!spec) {
      const known = Object.keys(config).map((name) => `--${name}`);
      return `unknown option ${token.rawName} (options here: ${known.join(', ') || 'none'})`;
    }
    if (
      spec.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && token.value.length > 1 && token.value.startsWith('-')))
    ) {
      return token.value === undefined
        ? `${token.rawName} needs a value`
        : `${token.rawName} needs a value (got option-like "${token.value}"; write ${token.rawName}=${token.value} if it is the value)`;
    }
    if (spec.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value`;
  }
  return undefined;
}

export function onePositional(args: ParsedArgs, what: string): string {
  if (args.positionals.length !== 1) throw new ConfigError(`expected exactly one ${what}, got ${args.positionals.length}`);
  return args.positionals[0]!;
}
