/**
 * How a fault scenario ended, judged against the suite's promises: the workflow completes, the last `pam run`
 * exits 0, no damaged artifact or checkpoint is in place or used (every committed file equals the clean run's),
 * at most one checkpoint interval of training is repeated per fault, and nothing is left behind.
 */
import type { ExperimentResult } from '../../src/contracts/stage-requests.js';
import { CHECKPOINT_EVERY, DECODERS } from './fault-pipeline.js';
import { sleep, tail, type FaultScenario } from './fault-scenario.js';
import { artifactDifferences, verifyStore, type StoreReport } from './verify-store.js';

export interface ScenarioRow {
  scenario: string;
  faults: string;
  outcome: string;
  repeated: string;
  leftovers: string;
  seconds: string;
}

export interface Judged {
  row: ScenarioRow;
  problems: string[];
}

const RUN_TIMEOUT_MS = 240_000;

/** Wait for the last `pam run` to end (killing it after RUN_TIMEOUT_MS), then check everything. */
export async function judge(
  s: FaultScenario,
  clean: StoreReport,
  faults: string,
  extraChecks: (r: StoreReport) => string[],
  startedAt: number,
): Promise<Judged> {
  const problems: string[] = [...s.notes];
  const run = s.run!;
  const timer = setTimeout(() => run.child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const code = await run.exited;
  clearTimeout(timer);
  if (code !== 0) problems.push(`last pam run exited ${code}: ${tail(run.out())}`);
  problems.push(...(await workflowProblems(s)));
  await s.close();
  const report = verifyStore(s.home);
  problems.push(...report.damaged.map((d) => `damaged in place: ${d}`));
  const differences = artifactDifferences(clean, report);
  if (differences.length > 0) problems.push(`results differ from the clean run: ${differences.slice(0, 4).join(', ')}`);
  problems.push(...report.leftovers.map((l) => `leftover: ${l}`));
  const repeated = repeatedWork(s, report, problems);
  problems.push(...extraChecks(report));
  return {
    problems,
    row: {
      scenario: s.name,
      faults,
      outcome:
        problems.length === 0
          ? `ok${report.quarantined > 0 ? ` (${report.quarantined} quarantined)` : ''}`
          : `FAIL: ${problems.join(' / ')}`,
      repeated,
      leftovers: String(report.leftovers.length),
      seconds: ((Date.now() - startedAt) / 1000).toFixed(0),
    },
  };
}

async function workflowProblems(s: FaultScenario): Promise<string[]> {
  const handle = s.world.client.workflow.getHandle(`pam-experiment-${s.experiment}`);
  // The server may still be coming back from a kill: describe until it answers.
  for (let tries = 0; ; tries++) {
    try {
      const status = (await handle.describe()).status.name;
      if (status !== 'COMPLETED') return [`workflow ${status}`];
      const result = (await handle.result()) as ExperimentResult;
      const unfinished = result.stages.filter((r) => r.status !== 'done' && r.status !== 'cached');
      return unfinished.map((r) => `stage ${r.id} ended ${r.status}`);
    } catch (error) {
      if (tries >= 20) return [`workflow unreadable: ${(error as Error).message}`];
      await sleep(500);
    }
  }
}

/**
 * Repeated training per fault, in checkpoint intervals: completed epochs trained again although their checkpoint
 * was durable (the watcher's record), and for the last train fault also the train manifest's resumedFromEpoch.
 * A fault that damaged k checkpoints on purpose may fall back k more intervals.
 */
function repeatedWork(s: FaultScenario, report: StoreReport, problems: string[]): string {
  const trainFaults = s.faults.filter((f) => f.durable && Object.keys(f.durable).length > 0);
  if (trainFaults.length === 0) return s.faults.length > 0 ? 'no training lost (faults outside train)' : '–';
  const trainId = [...report.summaries.keys()].find((id) => id.startsWith('train/'));
  const train = (trainId && report.summaries.get(trainId)) || {};
  const last = trainFaults[trainFaults.length - 1]!;
  // The summary tells where the committing attempt resumed, which is this fault's resume only if it came after it.
  const committedAfterLast = trainId !== undefined && (report.committedAt.get(trainId) ?? 0) > last.at;
  const parts = trainFaults.map((fault) => {
    let epochs = s.repeatedEpochs(fault);
    if (fault === last && committedAfterLast) {
      for (const decoder of DECODERS) {
        const resumed = Number(train[`${decoder}.resumedFromEpoch`] ?? Number.NaN);
        const durable = fault.durable?.[decoder];
        if (durable !== undefined && Number.isFinite(resumed)) epochs = Math.max(epochs, durable - resumed);
      }
    }
    const intervals = epochs / CHECKPOINT_EVERY;
    const allowed = fault.damagedCheckpoints ?? 0;
    if (intervals > allowed)
      problems.push(`${fault.moment}: ${epochs} checkpointed epochs trained again (allowed ${allowed} + the one in progress)`);
    return `${epochs === 0 ? '< 1' : `${epochs} + < 1`} ep`;
  });
  return `${parts.join(', ')} (interval 1 ep)`;
}

export function formatTable(rows: ScenarioRow[], header: string): string {
  const cells = [
    ['scenario', 'faults', 'outcome', 'repeated work', 'leftovers', 's'],
    ...rows.map((r) => [r.scenario, r.faults, r.outcome, r.repeated, r.leftovers, r.seconds]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [header, '', line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
