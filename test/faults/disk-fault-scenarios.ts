/**
 * Disk faults between two stages: the worker is killed exactly where the next stage would open its inputs (or
 * its checkpoint), a file is damaged while no worker runs, and a fresh worker carries on. Nothing damaged may be
 * used: the results must equal the clean run's, byte for byte.
 */
import path from 'node:path';
import { artifactDir, deleteFile, flipMiddleByte, garbleJsonFiles, plantDeadStaging, truncateToHalf } from './disk-damage.js';
import type { FaultScenario, ScenarioPlan } from './fault-scenario.js';

/** Kill the worker as `stage` starts, `damage` the home meanwhile, then let a fresh worker finish. */
async function damageBefore(s: FaultScenario, stage: string, damage: () => string): Promise<void> {
  await s.killWorkerAt(`stage:${stage}`, { meanwhile: () => void s.record('disk', damage()) });
}

export const diskFaultScenarios: ScenarioPlan[] = [
  {
    name: 'truncated-arrow',
    faults: "data's train.arrow truncated before train opens it",
    workers: 'external',
    seed: ['synthesize-b2g'],
    drive: (s) => damageBefore(s, 'train', () => truncateToHalf(path.join(artifactDir(s.home, 'synthesize-b2g'), 'train.arrow'))),
  },
  {
    name: 'flipped-artifact-byte',
    faults: "a byte of train's predictions.arrow flipped before evaluate opens it",
    workers: 'external',
    seed: ['synthesize-b2g', 'train'],
    drive: (s) => damageBefore(s, 'evaluate', () => flipMiddleByte(path.join(artifactDir(s.home, 'train'), 'predictions.arrow'))),
  },
  {
    name: 'deleted-manifest',
    faults: "train's manifest.json deleted before evaluate opens it",
    workers: 'external',
    seed: ['synthesize-b2g', 'train'],
    drive: (s) => damageBefore(s, 'evaluate', () => deleteFile(path.join(artifactDir(s.home, 'train'), 'manifest.json'))),
  },
  {
    name: 'flipped-checkpoint-byte',
    faults: "worker SIGKILL writing epoch 3's checkpoint; a byte of epoch 2's tensors flipped",
    workers: 'external',
    seed: ['synthesize-b2g'],
    async drive(s) {
      await s.killWorkerAt('checkpoint-written:baseline@3', {
        meanwhile: () => {
          s.record('disk', flipMiddleByte(path.join(s.trainPartialDir()!, 'baseline', 'epoch-2', 'tensors.bin')));
          return { damagedCheckpoints: 1 };
        },
      });
    },
  },
  {
    name: 'dead-staging',
    faults: "worker SIGKILL before train's staging folder is renamed; a dead pid's staging folder planted",
    workers: 'external',
    seed: ['synthesize-b2g'],
    async drive(s, clean) {
      const key = [...clean.report.artifacts.keys()].find((id) => id.startsWith('evaluate/'))!.split('/')[1]!;
      s.record('disk', plantDeadStaging(s.home, 'evaluate', key));
      await s.killWorkerAt('artifact-staged:train');
    },
  },
  {
    name: 'damaged-records',
    faults: 'stage records and fingerprint cache garbled, then the experiment rerun (all cached)',
    workers: 'external',
    seed: ['synthesize-b2g', 'train', 'evaluate'],
    async drive(s) {
      s.startWorker();
      s.startRun();
      // A first run records the stages' keys; the second must read past them garbled.
      await s.run!.exited;
      const records = path.join(s.home, 'experiments', s.experiment, 'keys');
      s.record('disk', garbleJsonFiles(records, [path.join(s.home, 'fingerprints.json')]));
      s.startRun();
    },
  },
];
