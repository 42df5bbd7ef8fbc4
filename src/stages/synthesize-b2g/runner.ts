/**
 * Writes the simulated B2G-like world as a decoding dataset (layout: `src/tables/dataset.ts`): tables
 * `train` and `test` (item_id, latent, one `area:<A>` column per area; metadata `areas` and `repetitions`) and the
 * ground-truth table `areas` (name, units, informativeness, nonlinearity).
 *
 * No checkpoint: the simulation takes seconds and is deterministic, so a retried attempt simply recomputes it.
 */
import type { Table } from 'apache-arrow';
import { buildTable, type ColumnSpec } from '../../tables/arrow-tables.js';
import { simulateB2G, type B2GSplit, type B2GWorld } from '../../synthetic/b2g.js';
import { areaColumn, type AreaInfo } from '../../tables/dataset.js';
import type { StageRunner, SummaryValue } from '../stage-definition.js';
import type { SynthesizeB2GParams } from './spec.js';

function splitTable(world: B2GWorld, split: B2GSplit, repetitions: number): Table {
  const columns: Record<string, ColumnSpec> = {
    item_id: { kind: 'utf8', values: split.itemIds },
    latent: { kind: 'float32-vector', width: world.latentDim, values: split.latents },
  };
  world.areas.forEach((area, a) => {
    columns[areaColumn(area.name)] = { kind: 'float32-vector', width: area.units, values: split.responses[a]! };
  });
  const areas: AreaInfo[] = world.areas.map(({ name, units }) => ({ name, units }));
  return buildTable(columns, { areas: JSON.stringify(areas), repetitions: String(repetitions) });
}

function areasTable(world: B2GWorld): Table {
  return buildTable({
    name: { kind: 'utf8', values: world.areas.map((a) => a.name) },
    units: { kind: 'int32', values: world.areas.map((a) => a.units) },
    informativeness: { kind: 'float64', values: world.areas.map((a) => a.informativeness) },
    nonlinearity: { kind: 'utf8', values: world.areas.map((a) => a.nonlinearity) },
  });
}

export const runner: StageRunner<SynthesizeB2GParams> = {
  async run(ctx) {
    const config = ctx.params;
    ctx.progress({ fraction: 0, message: `simulating ${config.trainItems}+${config.testItems} items, ${config.areas.length} areas` });
    const world = simulateB2G(config, ctx.seed, (done, total, area) => {
      ctx.signal.throwIfAborted();
      ctx.progress({ fraction: (0.9 * done) / total, message: `simulated area ${area} (${done}/${total})` });
    });
    ctx.output.writeTable('train', splitTable(world, world.train, 1));
    ctx.output.writeTable('test', splitTable(world, world.test, config.testRepetitions));
    ctx.output.writeTable('areas', areasTable(world));
    ctx.progress({ fraction: 1, message: 'wrote train, test and areas' });

    const summary: Record<string, SummaryValue> = {
      trainItems: config.trainItems,
      testItems: config.testItems,
      latentDim: config.latentDim,
      areas: world.areas.map((a) => a.name).join(','),
      units: world.areas.reduce((sum, a) => sum + a.units, 0),
    };
    for (const area of world.areas) summary[`informativeness.${area.name}`] = area.informativeness;
    return { summary };
  },
};
