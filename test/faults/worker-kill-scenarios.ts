/**
 * SIGKILLs of an external `pam worker` at the moments that matter: during data synthesis, mid-epoch, while a
 * checkpoint is being written, around an artifact's commit, during evaluate, and at seeded random moments.
 * Narrow windows are hit exactly with PAM_THREAD_FAULT fault points (src/threads/thread-faults.ts), wide ones by
 * killing from outside after a seeded random delay.
 */
import { sleep, type ScenarioPlan } from './fault-scenario.js';

export const workerKillScenarios: ScenarioPlan[] = [
  {
    name: 'kill-synthesis',
    faults: 'worker SIGKILL as data synthesis starts',
    workers: 'external',
    drive: (s) => s.killWorkerAt('stage:synthesize-b2g'),
  },
  {
    name: 'kill-mid-epoch',
    faults: '3× worker SIGKILL mid-epoch (random offset)',
    workers: 'external',
    async drive(s) {
      s.startWorker();
      s.startRun();
      for (const epoch of [1, 2, 3]) {
        await s.waitForCheckpoint(epoch, Math.floor(s.random() * 150));
        await s.killWorker(`mid-epoch ${epoch + 1}`);
      }
    },
  },
  {
    name: 'kill-checkpoint-write',
    faults: "worker SIGKILL between a checkpoint's files and its manifest",
    workers: 'external',
    // The second checkpoint of pam: epoch 2 (checkpointed every epoch).
    drive: (s) => s.killWorkerAt('checkpoint-written:pam@2'),
  },
  {
    name: 'kill-commit',
    faults: 'worker SIGKILL after train is renamed into place, before its checkpoints go and it is reported',
    workers: 'external',
    drive: (s) => s.killWorkerAt('artifact-committed:train'),
    check(_s, report) {
      // The committed artifact was intact when the retry looked: it must be the killed attempt's, not a recompute.
      const train = [...report.attempts.keys()].find((id) => id.startsWith('train/'));
      return train && report.attempts.get(train) !== 1
        ? [`train was recomputed (attempt ${report.attempts.get(train)}) although committed`]
        : [];
    },
  },
  {
    name: 'kill-evaluate',
    faults: 'worker SIGKILL as evaluate starts',
    workers: 'external',
    seed: ['synthesize-b2g', 'train'],
    drive: (s) => s.killWorkerAt('stage:evaluate'),
  },
  {
    name: 'kill-random',
    faults: '2× worker SIGKILL at a random moment',
    workers: 'external',
    async drive(s) {
      let worker = s.startWorker();
      s.startRun();
      for (const _ of [1, 2]) {
        await s.polling(worker);
        await sleep(1000 + Math.floor(s.random() * 6000));
        worker = await s.killWorker('random moment');
      }
    },
  },
];
