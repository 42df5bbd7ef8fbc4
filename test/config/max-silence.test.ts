/**
 * The silence limit of each stage (src/config/resolve-stage.ts): its own `maxSilenceSeconds`, else the runtime's,
 * else its kind's default (src/stages/stage-spec.ts); resolved into every stage, so the hash follows the effective
 * limits, not where they were written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePipelineConfig } from '../../src/config/load-pipeline-config.js';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { DEFAULT_MAX_SILENCE_SECONDS } from '../../src/stages/stage-spec.js';

const pipeline = (runtime: string, alignExtra = '') => `experiment: silence
seed: 1
${runtime}
stages:
  world:
    uses: synthesize-god
  align:
    uses: hyperalign
    inputs: { trials: world }${alignExtra}
`;

const limits = (text: string, overrides: string[] = []) => {
  const { config, hash } = parsePipelineConfig(text, 'silence.yaml', overrides);
  return { byStage: Object.fromEntries(config.stages.map((s) => [s.id, s.maxSilenceSeconds])), runtime: config.runtime, hash };
};

describe('maxSilenceSeconds', () => {
  it("defaults to each kind's own limit (hyperalign's eigen-solves get longer)", () => {
    const { byStage, runtime } = limits(pipeline(''));
    assert.deepEqual(byStage, { world: DEFAULT_MAX_SILENCE_SECONDS, align: 900 });
    assert.equal('maxSilenceSeconds' in runtime, false, 'the resolved runtime keeps none: it lives in the stages');
  });

  it("runtime.maxSilenceSeconds replaces the kinds' defaults; a stage's own replaces both", () => {
    assert.deepEqual(limits(pipeline('runtime: { maxSilenceSeconds: 60 }')).byStage, { world: 60, align: 60 });
    assert.deepEqual(limits(pipeline('runtime: { maxSilenceSeconds: 60 }', '\n    maxSilenceSeconds: 1200')).byStage, {
      world: 60,
      align: 1200,
    });
    assert.deepEqual(limits(pipeline(''), ['stages.align.maxSilenceSeconds=5']).byStage, { world: DEFAULT_MAX_SILENCE_SECONDS, align: 5 });
  });

  it('hashes the effective limits only', () => {
    const base = limits(pipeline('')).hash;
    assert.equal(limits(pipeline('', '\n    maxSilenceSeconds: 900')).hash, base, 'the default written out');
    const everywhere = limits(pipeline('runtime: { maxSilenceSeconds: 60 }')).hash;
    assert.notEqual(everywhere, base);
    assert.equal(limits(pipeline(''), ['stages.world.maxSilenceSeconds=60', 'stages.align.maxSilenceSeconds=60']).hash, everywhere);
  });

  it('refuses a limit that is not a whole number of seconds from 1 to a day', () => {
    for (const bad of ['0', '1.5', '86401', '"long"']) {
      assert.throws(() => limits(pipeline(`runtime: { maxSilenceSeconds: ${bad} }`)), ConfigError, bad);
      assert.throws(() => limits(pipeline('', `\n    maxSilenceSeconds: ${bad}`)), ConfigError, bad);
    }
  });
});
