/**
 * The fault suite: real experiments through a real dev server (test/support/test-world.ts), with workers, the
 * server and `pam run` SIGKILLed at chosen and random moments and files damaged on disk. After each scenario an
 * independent verifier (verify-store.ts) re-hashes every committed artifact and checkpoint, compares the results
 * with one clean run of the same config and counts leftovers. The table of outcomes is printed at the end and
 * written to $PAM_FAULT_REPORT (default: pam-fault-suite.md in the OS temp folder).
 *
 * PAM_FAULT_SEED moves the random kill moments (default 1); `--test-name-pattern` picks scenarios.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestWorld, type TestWorld } from '../support/test-world.js';
import { diskFaultScenarios } from './disk-fault-scenarios.js';
import { formatTable, judge, type Judged, type ScenarioRow } from './fault-outcome.js';
import { FaultScenario, type CleanRun } from './fault-scenario.js';
import { outageScenarios } from './outage-scenarios.js';
import { isResult, verifyStore } from './verify-store.js';
import { workerKillScenarios } from './worker-kill-scenarios.js';

const SEED = Number(process.env['PAM_FAULT_SEED'] ?? 1);
const REPORT = process.env['PAM_FAULT_REPORT'] ?? path.join(os.tmpdir(), 'pam-fault-suite.md');

let world: TestWorld;
let clean: CleanRun;
const rows: ScenarioRow[] = [];

before(async () => {
  const startedAt = Date.now();
  world = await startTestWorld();
  const run = new FaultScenario(world, 'clean', 'in-process', SEED);
  const code = await run.startRun().exited;
  await run.close();
  assert.equal(code, 0, run.run!.out());
  clean = { home: run.home, report: verifyStore(run.home) };
  assert.deepEqual(clean.report.damaged, []);
  const committed = [...clean.report.artifacts.keys()];
  assert.equal(committed.filter(isResult).length, 3, 'the clean run commits data, train and evaluate');
  assert.equal(committed.length, 4, 'and the run report');
  rows.push({
    scenario: 'clean',
    faults: '–',
    outcome: 'reference',
    repeated: '–',
    leftovers: String(clean.report.leftovers.length),
    seconds: ((Date.now() - startedAt) / 1000).toFixed(0),
  });
});

after(async () => {
  const table = formatTable(rows, `fault suite (PAM_FAULT_SEED=${SEED}), ${new Date().toISOString()}`);
  console.log(`\n${table}\n`);
  writeFileSync(REPORT, `${table}\n`);
  await world?.stop();
  // Scenario homes are kept for inspection only when something failed.
  if (world && rows.every((r) => !r.outcome.startsWith('FAIL')))
    rmSync(path.join(world.home, 'scenarios'), { recursive: true, force: true });
});

for (const [index, plan] of [...workerKillScenarios, ...outageScenarios, ...diskFaultScenarios].entries()) {
  test(plan.name, async () => {
    const startedAt = Date.now();
    const s = new FaultScenario(world, plan.name, plan.workers, SEED * 1000 + index);
    if (plan.seed) s.seedFrom(clean.home, plan.seed);
    let judged: Judged;
    try {
      await plan.drive(s, clean);
      judged = await judge(s, clean.report, plan.faults, (report) => plan.check?.(s, report) ?? [], startedAt);
    } catch (error) {
      await s.close();
      const outcome = `FAIL: ${String(error)}`;
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
      // What the processes said, to tell a hung worker from a dead one.
      const output = [s.run && `last pam run: ${s.run.out().slice(-3000)}`, ...s.workerOutputs().map((o) => `worker: ${o.slice(-2000)}`)];
      judged = {
        problems: [String(error), ...output.filter((o): o is string => Boolean(o))],
        row: { scenario: plan.name, faults: plan.faults, outcome, repeated: '?', leftovers: '?', seconds },
      };
    }
    rows.push(judged.row);
    // A failed judgement carries the last pam run's own words (a crash's stack ends up in the row as one line).
    const said = judged.problems.length && s.run ? `\nlast pam run said:\n${s.run.out().slice(-3000)}` : '';
    assert.deepEqual(judged.problems, [], `${plan.name}: ${s.faults.length} faults${said}`);
  });
}
