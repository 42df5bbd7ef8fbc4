/**
 * `pam compare <experiment> <experiment>... [--json]`: the experiments' results side by side (metric × decoder,
 * mean ± SE, a column per experiment, the best marked) and the params that differ between their resolved configs
 * (src/evaluation/experiment-comparison.ts). Each experiment is read from the server (its newest run's input and
 * stage table) or, when the server does not hold it or none runs, from the store's stage records.
 */
import { ConfigError } from '../../errors/pipeline-errors.js';
import { compareExperiments, type ExperimentComparison, type ExperimentResults } from '../../evaluation/experiment-comparison.js';
import type { StoreView } from '../../store/store-view.js';
import { experimentState, knownExperiments } from '../../temporal/experiment-client.js';
import { didYouMean } from '../../util/closest-name.js';
import { parseArgs } from '../args.js';
import { resultsOf, serverConfig, storeConfig, storeExperiments } from '../experiment-catalog.js';
import { cliStoreView, sessionIfRunning, type Session } from '../session.js';
import { formatCell, formatTable } from '../tables-report.js';

export async function compareCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['json']);
  const names = args.positionals;
  if (names.length < 2) throw new ConfigError(`pam compare needs at least two experiment names, got ${names.length}`);
  const store = cliStoreView();
  const session = await sessionIfRunning();
  try {
    const inputs: ExperimentResults[] = [];
    for (const name of names) inputs.push(await experimentResults(name, session, store));
    const comparison = compareExperiments(inputs);
    console.log(args.flags.has('json') ? JSON.stringify(comparison, null, 2) : renderComparison(comparison));
    return 0;
  } finally {
    await session?.close();
  }
}

/** An experiment's config and results: from the server when it holds it, else from the store's records. */
async function experimentResults(name: string, session: Session | undefined, store: StoreView): Promise<ExperimentResults> {
  const onServer = session ? await knownExperiments(session.client) : [];
  if (session && onServer.includes(name)) {
    const { stages } = await experimentState(session.client, name);
    return { name, config: await serverConfig(session.client, name), results: await resultsOf(stages, store) };
  }
  const inStore = await storeExperiments(store);
  const found = inStore.find((e) => e.experiment === name);
  if (found) return { name, config: storeConfig(store, name), results: await resultsOf(found.stages, store) };
  const known = [...new Set([...onServer, ...inStore.map((e) => e.experiment)])].sort();
  throw new ConfigError(
    `no experiment named "${name}"${didYouMean(name, known)}; ` +
      (known.length ? `known experiments: ${known.join(', ')}` : 'there are no experiments yet (start one with `pam run <pipeline.yaml>`)'),
  );
}

/** The comparison as text: the results table, then the params that differ. */
export function renderComparison(comparison: ExperimentComparison): string {
  const { experiments, rows, params } = comparison;
  const results = rows.length
    ? formatTable(
        ['metric', 'better', 'decoder', ...experiments],
        rows.map((r) => [
          r.metric,
          r.better,
          r.decoder,
          ...r.cells.map((cell, i) => (cell ? `${formatCell(cell.mean)} ± ${formatCell(cell.se)}${r.best === i ? ' *' : ''}` : '–')),
        ]),
      )
    : 'no results table in any of them (yet)';
  const differ = params.length
    ? formatTable(
        ['param', ...experiments],
        params.map((p) => [p.path, ...p.values.map((v) => v ?? '(absent)')]),
      )
    : 'none: the configs differ only in their experiment name';
  return `Results (mean ± SE over test items; *: best of the experiments in the metric's direction):\n${results}\n\nParams that differ:\n${differ}`;
}
