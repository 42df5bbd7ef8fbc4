/**
 * Child process for the worker-kill test: runs one invert-latents shard over a committed images artifact.
 * argv: <images artifact dir> <partial dir> <params JSON>
 */
import { runner } from '../../src/stages/invert-latents/runner.js';
import { spec } from '../../src/stages/invert-latents/spec.js';
import { openArtifactInput } from '../../src/store/artifact-input.js';
import { stageContext } from '../support/stage-context.js';

const [imagesDir, partialDir, paramsJson] = process.argv.slice(2) as [string, string, string];
const ctx = stageContext({
  params: spec.params.parse(JSON.parse(paramsJson)),
  seed: 1,
  backend: 'wasm',
  inputs: { images: openArtifactInput(imagesDir) },
  partialDir,
  shard: { index: 0, count: 1 },
});
await runner.run(ctx);
