/**
 * Kills of the Temporal dev server (restarted on the same SQLite file and port after an outage, one of them over a
 * minute) and of `pam run` itself (started again, it must attach to the running experiment and see it through).
 */
import type { ScenarioPlan } from './fault-scenario.js';

/** Longer than a minute: no retry loop or timeout of the worker or `pam run` may give up on the way. */
const LONG_OUTAGE_MS = 61_000;

export const outageScenarios: ScenarioPlan[] = [
  {
    name: 'server-kills',
    faults: '2× server SIGKILL (mid-train 3 s, at evaluate 5 s), external worker',
    workers: 'external',
    async drive(s) {
      s.startWorker();
      s.startRun();
      await s.waitForCheckpoint(1, Math.floor(s.random() * 150));
      await s.killServer('mid-train', 3000);
      await s.waitForStage('evaluate', ['running']);
      await s.killServer('evaluate running', 5000);
    },
  },
  {
    name: 'server-long-outage',
    faults: 'server SIGKILL mid-train, 61 s outage, in-process worker',
    workers: 'in-process',
    async drive(s) {
      s.startRun();
      await s.waitForCheckpoint(2);
      await s.killServer('mid-train', LONG_OUTAGE_MS);
    },
  },
  {
    name: 'kill-pam-run',
    faults: 'pam run SIGKILL mid-train, external worker',
    workers: 'external',
    async drive(s) {
      s.startWorker();
      s.startRun();
      await s.waitForCheckpoint(1);
      await s.killRun('mid-train');
    },
  },
  {
    name: 'kill-pam-run-in-process',
    faults: 'pam run SIGKILL mid-train with its in-process worker',
    workers: 'in-process',
    async drive(s) {
      s.startRun();
      await s.waitForCheckpoint(2, Math.floor(s.random() * 150));
      await s.killRun('mid-train');
    },
  },
];
