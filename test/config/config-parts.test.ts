/** Unit checks of the loader's parts: cycle finding, schema descriptions, and found-value formatting. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { formatFound, formatKeyPath } from '../../src/config/config-issue.js';
import { parsePipelineConfig } from '../../src/config/load-pipeline-config.js';
import { findStageCycles } from '../../src/config/stage-cycles.js';
import { allowedKeys, describeSchema, schemaAtPath } from '../../src/config/zod-describe.js';
import { assertConfigError } from './config-test-helpers.js';
import { testCatalog } from './test-catalog.js';

describe('findStageCycles', () => {
  it('finds each cycle once and ignores acyclic branches and unknown ids', () => {
    const upstreamOf = new Map<string, string[]>([
      ['a', []],
      ['b', ['a', 'd']],
      ['c', ['b']],
      ['d', ['c']],
      ['e', ['a', 'missing']],
      ['f', ['g']],
      ['g', ['f']],
    ]);
    assert.deepEqual(findStageCycles(upstreamOf), [
      ['b', 'd', 'c', 'b'],
      ['f', 'g', 'f'],
    ]);
  });

  it('returns nothing for a DAG with a diamond', () => {
    const upstreamOf = new Map([
      ['a', []],
      ['b', ['a']],
      ['c', ['a']],
      ['d', ['b', 'c']],
    ]);
    assert.deepEqual(findStageCycles(upstreamOf), []);
  });
});

describe('describeSchema', () => {
  const schema = z
    .object({
      rate: z.number().positive().max(1).default(0.1),
      size: z.number().int().min(2).max(8),
      mode: z.enum(['fast', 'exact']).optional(),
      name: z.string().length(3),
      flags: z.array(z.boolean()).max(2),
      nested: z.object({ depth: z.number().int() }).strict(),
    })
    .strict();

  it('reads bounds, integer-ness, enums and element types from the schema', () => {
    const at = (key: string) => describeSchema(schemaAtPath(schema, [key]) ?? z.never());
    assert.equal(at('rate'), 'a number > 0 and ≤ 1');
    assert.equal(at('size'), 'an integer from 2 to 8');
    assert.equal(at('mode'), 'one of fast | exact');
    assert.equal(at('name'), 'a string of length 3');
    assert.equal(at('flags'), 'a sequence of at most 2 items, each a boolean (true or false)');
    assert.equal(describeSchema(schemaAtPath(schema, ['nested', 'depth']) ?? z.never()), 'an integer');
    assert.deepEqual(allowedKeys(schemaAtPath(schema, ['nested'])), ['depth']);
    assert.equal(schemaAtPath(schema, ['size', 'deeper']), undefined);
  });
});

describe('message formatting', () => {
  it('formats key paths and found values with their YAML type', () => {
    assert.equal(formatKeyPath([]), '(top level)');
    assert.equal(formatKeyPath(['stages', 'train', 'with', 'heads', 2]), 'stages.train.with.heads[2]');
    assert.equal(formatFound('ten'), '"ten" (string)');
    assert.equal(formatFound(false), 'false (boolean)');
    assert.equal(formatFound({ a: 1 }), '{"a":1} (mapping)');
    assert.equal(formatFound(undefined), 'nothing');
    assert.equal(formatFound('x'.repeat(100)).length, 60 + ' (string)'.length);
  });

  it('refuses .inf that a params schema let through, since the config could not be hashed', () => {
    const text = 'experiment: demo\nseed: 1\nstages:\n  data:\n    uses: synthesize-b2g\n    with: {noise: .inf}\n';
    assertConfigError(() => parsePipelineConfig(text, 'p.yaml', [], testCatalog), 'p.yaml', [
      'p.yaml:6:19: stages.data.with.noise: expected a finite number, found Infinity (number)',
    ]);
  });

  it('an empty catalog is named as such; a non-mapping document and a second document are errors', () => {
    const text = 'experiment: demo\nseed: 1\nstages:\n  data:\n    uses: anything\n';
    assertConfigError(() => parsePipelineConfig(text, 'p.yaml', [], new Map()), 'p.yaml', [
      'p.yaml:5:11: stages.data.uses: unknown stage kind "anything"; the stage catalog is empty',
    ]);
    assertConfigError(() => parsePipelineConfig('- a\n- b\n', 'p.yaml', [], new Map()), 'p.yaml', [
      'p.yaml:1:1: (top level): expected a mapping, found ["a","b"] (sequence)',
    ]);
    assertConfigError(() => parsePipelineConfig(`${text}---\nseed: 2\n`, 'p.yaml', [], new Map()), 'p.yaml', [
      'p.yaml:6:1: YAML syntax error (MULTIPLE_DOCS): a pipeline file holds one YAML document, found a second one after "---"',
    ]);
  });
});
