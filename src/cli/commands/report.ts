/**
 * `pam report <experiment> [--out FILE] [--compare <other>]…`: the experiment's HTML report (docs/report.md),
 * committed to the store as a `report` artifact (found, not rendered again, when the same run was reported before);
 * `--out` also writes a copy; each `--compare` adds that experiment as a column of a comparison section (the table of
 * `pam compare`). Reads the stage table and the config from the workflow, everything else from the store.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { experimentState } from '../../temporal/experiment-client.js';
import { startedExperiment } from '../../temporal/experiment-input.js';
import { openEngineDeps } from '../../engine/stage-ports.js';
import { stateDir } from '../../paths/project-paths.js';
import { configuredStoreLocation } from '../../store/store-location.js';
import { commitReport, type CommittedReport } from '../../report/report-artifact.js';
import type { ReportSubject } from '../../report/report-model.js';
import { compareExperiments } from '../../evaluation/experiment-comparison.js';
import { onePositional, parseArgs } from '../args.js';
import { experimentResults } from '../experiment-catalog.js';
import { openSession, type Session } from '../session.js';

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['out', 'compare'], []);
  const experiment = onePositional(args, 'experiment name');
  const out = args.options.get('out')?.at(-1);
  const others = args.options.get('compare') ?? [];
  const session = await openSession(() => undefined, { startServer: false });
  try {
    const state = await experimentState(session.client, experiment);
    const started = await startedExperiment(session.client, experiment, state.runId);
    const comparison = others.length
      ? compareExperiments(await Promise.all([experiment, ...others].map((name) => experimentResults(name, session, session.store))))
      : undefined;
    const report = await writeReport(session, { ...started, rows: state.stages, comparison });
    console.log(reportLine(report));
    if (out) {
      copyFileSync(report.file, out);
      console.log(`written to ${path.resolve(out)}`);
    }
    return 0;
  } finally {
    await session.close();
  }
}

/** Commit (or find) the report of `subject` in the store this process is configured with. */
export async function writeReport(session: Session, subject: ReportSubject & { dataset: string }): Promise<CommittedReport> {
  const deps = await openEngineDeps(stateDir(), configuredStoreLocation());
  return commitReport(subject, { local: deps.store, shared: deps.shared, view: session.store });
}

/** `report: <file>`, plus where it was published when the store is not this machine's folder. */
export function reportLine(report: CommittedReport): string {
  const elsewhere = report.location !== path.dirname(report.file);
  return `report: ${report.file}${elsewhere ? ` (in the store: ${report.location})` : ''}`;
}
