/**
 * Writes the simulated B2G-like world as a decoding dataset (layout: `src/tables/dataset.ts`): tables
 * `train` and `test` (item_id, latent, one `area:<A>` column per area; metadata `areas` and `repetitions`) and the
 * ground-truth table `areas` (name, units, informativeness, nonlinearity).
 *
 * No checkpoint: the simulation takes seconds and is deterministic, so a retried attempt simply recomputes it.
 */
import { simulateB2G, type B2GSplit, type B2GWorld } from '../../synthetic/b2g.js';
import { DATASET_SPLIT, type Split } from '../../tables/dataset.js';
import type { TableSink } from '../../tables/define-table.js';
import { B2G_WORLD_AREAS } from '../../tables/synthetic-worlds.js';
import type { StageRunner, SummaryValue } from '../stage-definition.js';
import type { SynthesizeB2GParams } from './spec.js';

function writeSplit(sink: TableSink, world: B2GWorld, name: Split, split: B2GSplit, repetitions: number): void {
  DATASET_SPLIT.named(name).write(
    sink,
    {
      item_id: split.itemIds,
      latent: { width: world.latentDim, values: split.latents },
      areas: new Map(world.areas.map((area, a) => [area.name, { width: area.units, values: split.responses[a]! }])),
    },
    { areas: world.areas.map(({ name, units }) => ({ name, units })), repetitions },
  );
}

export const runner: StageRunner<SynthesizeB2GParams> = {
  async run(ctx) {
    const config = ctx.params;
    ctx.progress({ fraction: 0, message: `simulating ${config.trainItems}+${config.testItems} items, ${config.areas.length} areas` });
    const world = simulateB2G(config, ctx.seed, (done, total, area) => {
      ctx.signal.throwIfAborted();
      ctx.progress({ fraction: (0.9 * done) / total, message: `simulated area ${area} (${done}/${total})` });
    });
    writeSplit(ctx.output, world, 'train', world.train, 1);
    writeSplit(ctx.output, world, 'test', world.test, config.testRepetitions);
    B2G_WORLD_AREAS.write(ctx.output, {
      name: world.areas.map((a) => a.name),
      units: world.areas.map((a) => a.units),
      informativeness: world.areas.map((a) => a.informativeness),
      nonlinearity: world.areas.map((a) => a.nonlinearity),
    });
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
