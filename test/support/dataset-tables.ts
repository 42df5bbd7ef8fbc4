/**
 * Decoding-dataset tables (layout: src/tables/dataset.ts) for stage tests: a tiny B2G-like dataset, the tables of a
 * simulated B2G world (src/synthetic/b2g.ts), and either as a committed input artifact.
 */
import type { Table } from 'apache-arrow';
import { Rng } from '../../src/random/rng.js';
import type { ArtifactInput } from '../../src/stages/stage-definition.js';
import type { B2GSplit, B2GWorld } from '../../src/synthetic/b2g.js';
import { areaColumn, type AreaInfo } from '../../src/tables/dataset.js';
import { buildTable } from '../../src/tables/arrow-tables.js';
import { inputArtifact } from './stage-context.js';

export interface TinyDataset {
  train: Table;
  test: Table;
  areas: AreaInfo[];
}

/**
 * Latents z ~ N(0, I_d); area A responds with tanh(z·M_A)·signal_A + noise, so areas differ in how informative
 * they are (signal per area given).
 */
export function tinyDataset(
  seed: number,
  sizes: { train: number; test: number; latentDim: number },
  areaSpecs: { name: string; units: number; signal: number }[],
): TinyDataset {
  const rng = new Rng(seed);
  const maps = areaSpecs.map((a) => rng.normals(sizes.latentDim * a.units, 1 / Math.sqrt(sizes.latentDim)));
  const areas: AreaInfo[] = areaSpecs.map((a) => ({ name: a.name, units: a.units }));
  const makeSplit = (prefix: string, rows: number): Table => {
    const latent = rng.normals(rows * sizes.latentDim);
    const columns: Parameters<typeof buildTable>[0] = {
      item_id: { kind: 'utf8', values: Array.from({ length: rows }, (_, i) => `${prefix}-${i}`) },
      latent: { kind: 'float32-vector', width: sizes.latentDim, values: latent },
    };
    areaSpecs.forEach((area, a) => {
      const values = new Float32Array(rows * area.units);
      for (let r = 0; r < rows; r++) {
        for (let u = 0; u < area.units; u++) {
          let drive = 0;
          for (let j = 0; j < sizes.latentDim; j++) drive += latent[r * sizes.latentDim + j]! * maps[a]![j * area.units + u]!;
          values[r * area.units + u] = Math.tanh(drive) * area.signal + rng.normal();
        }
      }
      columns[areaColumn(area.name)] = { kind: 'float32-vector', width: area.units, values };
    });
    return buildTable(columns, { areas: JSON.stringify(areas) });
  };
  return { train: makeSplit('train', sizes.train), test: makeSplit('test', sizes.test), areas };
}

/** Dataset tables (src/tables/dataset.ts) from a simulated B2G world (src/synthetic/b2g.ts). */
export function datasetFromWorld(world: B2GWorld): TinyDataset {
  const areas: AreaInfo[] = world.areas.map((a) => ({ name: a.name, units: a.units }));
  const table = (split: B2GSplit): Table => {
    const columns: Parameters<typeof buildTable>[0] = {
      item_id: { kind: 'utf8', values: split.itemIds },
      latent: { kind: 'float32-vector', width: world.latentDim, values: split.latents },
    };
    areas.forEach((area, a) => {
      columns[areaColumn(area.name)] = { kind: 'float32-vector', width: area.units, values: split.responses[a]! };
    });
    return buildTable(columns, { areas: JSON.stringify(areas) });
  };
  return { train: table(world.train), test: table(world.test), areas };
}

/** The dataset's train and test tables as a committed artifact of the synthesize-b2g stage. */
export function datasetInput(dataset: TinyDataset): Promise<ArtifactInput> {
  return inputArtifact('synthesize-b2g', { train: dataset.train, test: dataset.test });
}
