/**
 * Child process for the worker-kill test: runs one invert-latents shard over an images artifact.
 * argv: <images dir> <partial dir> <params JSON>
 */
import { runner } from '../../src/stages/invert-latents/runner.js';
import { spec } from '../../src/stages/invert-latents/spec.js';
import { artifactFromDir, fakeContext } from '../images/fake-stage-context.js';

const [imagesDir, partialDir, paramsJson] = process.argv.slice(2) as [string, string, string];
const ctx = fakeContext({
  params: spec.params.parse(JSON.parse(paramsJson)),
  inputs: { images: artifactFromDir('render-stimuli', imagesDir) },
  partialDir,
  shard: { index: 0, count: 1 },
});
await runner.run(ctx);
