/** Minimal argv parsing for `pam`: positionals, repeatable `--key value`, and boolean flags. */
import { ConfigError } from '../errors/pipeline-errors.js';

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      parsed.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (booleans.includes(name)) {
      parsed.flags.add(name);
    } else if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`--${name} needs a value`);
      parsed.options.set(name, [...(parsed.options.get(name) ?? []), value]);
    } else {
      throw new ConfigError(
        `unknown option --${name} (options here: ${[...valued, ...booleans].map((o) => `--${o}`).join(', ') || 'none'})`,
      );
    }
  }
  return parsed;
}

export function onePositional(args: ParsedArgs, what: string): string {
  if (args.positionals.length !== 1) throw new ConfigError(`expected exactly one ${what}, got ${args.positionals.length}`);
  return args.positionals[0]!;
}
