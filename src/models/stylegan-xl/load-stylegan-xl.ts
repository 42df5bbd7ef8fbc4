/**
 * Load a converted StyleGAN-XL generator (scripts/convert_stylegan_xl.py): the architecture record `<name>.json`
 * and the weights `<name>.safetensors`. Everything is checked before any compute, each failure a ModelLoadError
 * naming the file and the key or tensor: the record's schema and layer chain, the weights' sha256 when declared,
 * every tensor's name and shape, and the FIR filter buffers against the filters the record's layer specs design
 * (a record that does not belong to the weights shows there first).
 */
import { readFileSync } from 'node:fs';
import { ModelLoadError } from '../../errors/pipeline-errors.js';
import { loadWeightsFile, type TensorMap } from '../../images/codecs/safetensors.js';
import { parseStyleGanXlArchitecture, type StyleGanXlArchitecture } from './architecture.js';
import { resamplingOf } from './synthesis-layer.js';
import { StyleGanXlGenerator, styleganXlWeightShapes } from './stylegan-xl-generator.js';

/** Largest difference allowed between a stored float32 filter tap and the redesigned one. */
const FILTER_TOLERANCE = 1e-6;

export function readStyleGanXlArchitecture(path: string): StyleGanXlArchitecture {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ModelLoadError(`${path}: cannot read the architecture record (${(cause as Error).message})`, { cause });
  }
  return parseStyleGanXlArchitecture(json, path);
}

/** Refuse weights whose up/down filters are not the ones the architecture's layer specs design. */
export function checkFilters(architecture: StyleGanXlArchitecture, tensors: TensorMap, source: string): void {
  for (const spec of architecture.layers) {
    const { upTaps, downTaps } = resamplingOf(spec);
    for (const [kind, taps] of [
      ['up', upTaps],
      ['down', downTaps],
    ] as const) {
      if (!taps) continue;
      const name = `synthesis.${spec.name}.${kind}_filter`;
      const stored = tensors.get(name)!.values;
      const worst = taps.reduce((max, tap, i) => Math.max(max, Math.abs(tap - stored[i]!)), 0);
      if (worst > FILTER_TOLERANCE) {
        throw new ModelLoadError(`${source}: tensor "${name}" differs from the filter its layer spec designs by ${worst.toExponential(2)}`);
      }
    }
  }
}

export interface StyleGanXlFiles {
  architecture: string;
  weights: string;
  sha256?: string;
}

export function loadStyleGanXl(files: StyleGanXlFiles): StyleGanXlGenerator {
  const architecture = readStyleGanXlArchitecture(files.architecture);
  const tensors = loadWeightsFile(files.weights, styleganXlWeightShapes(architecture), files.sha256);
  checkFilters(architecture, tensors, files.weights);
  const digest = files.sha256 ? `sha256 ${files.sha256.slice(0, 12)}…` : 'sha256 not declared';
  return new StyleGanXlGenerator(architecture, tensors, `stylegan-xl generator, weights ${files.weights} (${digest})`);
}
