/**
 * Every malformed-config case asserts the whole message: `file:line:column` (or the `--set` text), the key
 * path, what was expected and what was found. Fixtures: test/fixtures-config/*.yaml.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.js';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { assertConfigError, fixturePath } from './config-test-helpers.js';
import { testCatalog } from './test-catalog.js';

const INT_SEED = 'an integer from 0 to 4294967295';
const EXPERIMENT = 'a string matching ^[a-z0-9][a-z0-9-]{0,62}$';

interface MalformedCase {
  readonly name: string;
  readonly fixture: string;
  readonly overrides?: readonly string[];
  /** Expected lines after the header; `@` stands for the fixture's path. */
  readonly lines: readonly string[];
}

const cases: MalformedCase[] = [
  {
    name: 'bad types at every level, all collected in one error',
    fixture: 'bad-types.yaml',
    lines: [
      `@:2:7: seed: expected ${INT_SEED}, found "nine" (string)`,
      '@:4:28: runtime.heartbeatTimeoutSeconds: expected an integer from 1 to 3600, found "fast" (string)',
      '@:5:12: runtime.workers: expected one of in-process | external, found 2 (number)',
      '@:13:15: stages.train.with.epochs: expected an integer ≥ 1, found "ten" (string)',
      '@:14:18: stages.train.with.heads[1]: expected an integer ≥ 1, found 0.5 (number)',
    ],
  },
  {
    name: 'unknown top-level key',
    fixture: 'unknown-top-level-key.yaml',
    lines: ['@:3:1: sedd: unknown key "sedd"; allowed keys: experiment, description, seed, runtime, stages'],
  },
  {
    name: 'unknown key in runtime',
    fixture: 'unknown-runtime-key.yaml',
    lines: [
      '@:5:3: runtime.retries: unknown key "retries"; allowed keys: backend, workers, heartbeatTimeoutSeconds, stageTimeoutMinutes, maximumAttempts, maxSilenceSeconds, maxParallelStages, queues, maxStageMemoryGiB',
    ],
  },
  {
    name: "unknown key inside with (the kind's strict params schema)",
    fixture: 'unknown-with-key.yaml',
    lines: ['@:9:23: stages.train.with.epoch: unknown key "epoch"; allowed keys: epochs, learningRate, heads, optimizer'],
  },
  {
    name: 'missing experiment points at the top-level mapping',
    fixture: 'missing-experiment.yaml',
    lines: [`@:3:1: experiment: required key "experiment" is missing; expected ${EXPERIMENT}`],
  },
  {
    name: 'missing stages',
    fixture: 'missing-stages.yaml',
    lines: ['@:1:1: stages: required key "stages" is missing; expected a mapping'],
  },
  {
    name: 'empty stages',
    fixture: 'empty-stages.yaml',
    lines: ['@:3:9: stages: expected at least one stage, found an empty mapping'],
  },
  {
    name: 'unknown uses kind lists the known kinds',
    fixture: 'unknown-kind.yaml',
    lines: ['@:5:11: stages.data.uses: unknown stage kind "synthesise-b2g"; known kinds: evaluate, synthesize-b2g, train-pam'],
  },
  {
    name: 'unknown input role',
    fixture: 'unknown-role.yaml',
    lines: [
      '@:8:29: stages.train.inputs.latent: unknown input role "latent" for kind "train-pam"; allowed roles: dataset (required), latents (optional)',
    ],
  },
  {
    name: 'missing required input roles point at the stage or its inputs mapping',
    fixture: 'missing-role.yaml',
    lines: [
      '@:7:5: stages.train.inputs.dataset: required input role "dataset" of kind "train-pam" is missing; map it to an upstream stage id',
      '@:11:7: stages.eval.inputs.model: required input role "model" of kind "evaluate" is missing; map it to an upstream stage id',
    ],
  },
  {
    name: 'input referencing a missing stage id',
    fixture: 'missing-stage-ref.yaml',
    lines: ['@:13:14: stages.eval.inputs.model: expected one of the stage ids data, train, eval, found "trian" (string)'],
  },
  {
    name: 'a dependency cycle and a stage reading itself',
    fixture: 'cycle.yaml',
    lines: [
      '@:8:13: stages.train.inputs: stages depend on each other in a cycle: train → refine → train',
      '@:14:23: stages.loop.inputs.dataset: a stage cannot read its own output, found "loop" (the stage itself)',
    ],
  },
  {
    name: 'bad experiment name and bad stage id',
    fixture: 'bad-names.yaml',
    lines: [
      `@:1:13: experiment: expected ${EXPERIMENT}, found "My Experiment" (string)`,
      '@:4:3: stages.Data_Set: expected a stage id matching ^[a-z][a-z0-9-]{0,40}$, found "Data_Set" (string)',
    ],
  },
  {
    name: "YAML syntax error: unclosed bracket, at the parser's position",
    fixture: 'syntax-unclosed-bracket.yaml',
    lines: ['@:7:3: YAML syntax error (BAD_INDENT): Flow map in block collection must be sufficiently indented and end with a }'],
  },
  {
    name: 'YAML syntax error: bad indentation',
    fixture: 'syntax-bad-indentation.yaml',
    lines: ['@:6:1: YAML syntax error (BAD_INDENT): All mapping items must start at the same column'],
  },
  {
    name: 'duplicate keys, nested and top-level',
    fixture: 'duplicate-key.yaml',
    lines: [
      '@:8:7: stages.data.with.items: duplicate key "items" (first defined at line 7, column 7)',
      '@:9:1: seed: duplicate key "seed" (first defined at line 2, column 1)',
    ],
  },
  {
    name: '--set without "="',
    fixture: 'valid.yaml',
    overrides: ['seed'],
    lines: ['--set seed: expected dotted.path=value, found no "="'],
  },
  {
    name: '--set with an empty path segment',
    fixture: 'valid.yaml',
    overrides: ['runtime..backend=cpu'],
    lines: ['--set runtime..backend=cpu: expected dotted.path=value, found an empty key in path "runtime..backend"'],
  },
  {
    name: '--set with a value of the wrong type names the override, not a line',
    fixture: 'valid.yaml',
    overrides: ['stages.train.with.epochs=ten', 'runtime.backend=gpu'],
    lines: [
      '--set stages.train.with.epochs=ten: stages.train.with.epochs: expected an integer ≥ 1, found "ten" (string)',
      '--set runtime.backend=gpu: runtime.backend: expected one of auto | tfjs-node-gpu | tfjs-node | wasm | cpu, found "gpu" (string)',
    ],
  },
  {
    name: '--set with an unparsable flow value',
    fixture: 'valid.yaml',
    overrides: ['stages.train.with.epochs=[1: ...'],
    lines: [
      '--set stages.train.with.epochs=[1: ...: stages.train.with.epochs: cannot parse "[1: ..." as a YAML flow value: Flow sequence must end with a ]',
    ],
  },
  {
    name: '--set with a block (non-flow) value',
    fixture: 'valid.yaml',
    overrides: ['stages.train.with=epochs: 3'],
    lines: [
      '--set stages.train.with=epochs: 3: stages.train.with: expected a YAML flow value (write mappings as {a: 1} and sequences as [1, 2]), found "epochs: 3"',
    ],
  },
  {
    name: '--set through a scalar',
    fixture: 'valid.yaml',
    overrides: ['seed.value=3'],
    lines: ['--set seed.value=3: seed: expected a mapping to set "value" in, found 9 (number)'],
  },
  {
    name: '--set adding an unknown key, and a new stage missing its inputs',
    fixture: 'valid.yaml',
    overrides: ['stages.train.with.epoch=4', 'stages.score.uses=evaluate'],
    lines: [
      '--set stages.train.with.epoch=4: stages.train.with.epoch: unknown key "epoch"; allowed keys: epochs, learningRate, heads, optimizer',
      '--set stages.score.uses=evaluate: stages.score.inputs.dataset: required input role "dataset" of kind "evaluate" is missing; map it to an upstream stage id',
      '--set stages.score.uses=evaluate: stages.score.inputs.model: required input role "model" of kind "evaluate" is missing; map it to an upstream stage id',
    ],
  },
  {
    name: 'file errors come first in source order, then override errors in command-line order',
    fixture: 'unknown-top-level-key.yaml',
    overrides: ['seed=-2'],
    lines: [
      '@:3:1: sedd: unknown key "sedd"; allowed keys: experiment, description, seed, runtime, stages',
      `--set seed=-2: seed: expected ${INT_SEED}, found -2 (number)`,
    ],
  },
];

describe('malformed pipeline configs', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const file = fixturePath(testCase.fixture);
      const lines = testCase.lines.map((line) => line.replace(/^@/, file));
      assertConfigError(() => loadPipelineConfig(file, testCase.overrides, testCatalog), file, lines);
    });
  }

  it('a missing file is a ConfigError naming the file', () => {
    const file = fixturePath('does-not-exist.yaml');
    assert.throws(
      () => loadPipelineConfig(file, [], testCatalog),
      (error: unknown) => error instanceof ConfigError && error.message.startsWith(`${file}: cannot read the pipeline config: ENOENT`),
    );
  });
});
