/** `pam` argument parsing (src/cli/args.ts): what each command receives, and the words of every refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onePositional, parseArgs } from '../../src/cli/args.js';
import { ConfigError } from '../../src/errors/pipeline-errors.js';

const RUN = [
  ['set', 'force'],
  ['dry-run', 'external-workers'],
] as const;

test('positionals, repeated --set in order (space and = forms), repeated --force, flags', () => {
  const args = parseArgs(
    ['pipelines/demo.yaml', '--set', 'training.epochs=3', '--dry-run', '--set=seed=7', '--force', 'train', '--force=invert'],
    ...RUN,
  );
  assert.deepEqual(args.positionals, ['pipelines/demo.yaml']);
  assert.deepEqual(args.options.get('set'), ['training.epochs=3', 'seed=7']);
  assert.deepEqual(args.options.get('force'), ['train', 'invert']);
  assert.deepEqual([...args.flags], ['dry-run']);
  assert.equal(onePositional(args, 'pipeline YAML file'), 'pipelines/demo.yaml');
});

test('absent options are absent: no map entry, no flag', () => {
  const args = parseArgs(['exp'], ['stage'], ['force', 'external-workers']);
  assert.equal(args.options.has('stage'), false);
  assert.equal(args.flags.size, 0);
  assert.equal(args.options.get('stage')?.at(-1), undefined);
});

test('a value that looks like key=value with dashes inside is still a value', () => {
  assert.deepEqual(parseArgs(['x', '--set', 'lr=-0.5'], ...RUN).options.get('set'), ['lr=-0.5']);
  assert.deepEqual(parseArgs(['--max-stages=-1'], ['max-stages'], []).options.get('max-stages'), ['-1']);
});

test('after --, everything is positional', () => {
  assert.deepEqual(parseArgs(['--', '--dry-run'], ...RUN).positionals, ['--dry-run']);
});

function refuses(argv: string[], valued: readonly string[], booleans: readonly string[], message: RegExp): void {
  assert.throws(
    () => parseArgs(argv, valued, booleans),
    (e: unknown) => e instanceof ConfigError && message.test(e.message),
  );
}

test('refusals are ConfigErrors naming the bad option and what is allowed', () => {
  refuses(['x', '--dryrun'], ...RUN, /^unknown option --dryrun \(options here: --set, --force, --dry-run, --external-workers\)$/);
  refuses(['x', '--json=1'], [], [], /^unknown option --json \(options here: none\)$/);
  refuses(['x', '-h'], ...RUN, /^unknown option -h /);
  refuses(['x', '--set'], ...RUN, /^--set needs a value$/);
  refuses(['exp', '--stage', '--force'], ['stage'], ['force'], /^--stage needs a value \(got option-like "--force"; write --stage=--force/);
  refuses(['x', '--dry-run=yes'], ...RUN, /^--dry-run takes no value$/);
});

test('onePositional counts', () => {
  assert.throws(() => onePositional(parseArgs([], [], []), 'experiment name'), /expected exactly one experiment name, got 0/);
  assert.throws(() => onePositional(parseArgs(['a', 'b'], [], []), 'experiment name'), /got 2/);
});
