/**
 * The one rule for relative paths in a pipeline YAML: a stage's external input (a data manifest, a stimulus
 * folder, model weights; `StageSpec.externalInputs`) given as a relative path is relative to the folder of the
 * YAML file that names it, whatever the working directory. Applied when the config is loaded, so every worker
 * receives the same absolute path; the cache key holds the content, not the path (src/engine/stage-key-parts.ts).
 */
import { isAbsolute, resolve } from 'node:path';
import type { ResolvedStage } from '../contracts/pipeline-config.js';
import { externalInputsOf, withExternalPaths } from '../stages/external-inputs.js';
import type { StageSpec } from '../stages/stage-spec.js';

export function withAbsolutePaths(stage: ResolvedStage, spec: StageSpec, yamlFolder: string): ResolvedStage {
  const relative = externalInputsOf(spec, stage.params).filter((input) => !isAbsolute(input.path));
  if (relative.length === 0) return stage;
  return { ...stage, params: withExternalPaths(stage.params, relative, (input) => resolve(yamlFolder, input.path)) };
}
