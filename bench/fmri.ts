/**
 * Benchmark: hyperalignment + voxel selection at GOD scale (3 subjects, 1200 training / 50 test images, latent
 * dim 512, per-area common-space sizes of docs/datasets.md §B.5: V1 2521, V2 2687, V3 2058, V4 1283, LOC 2724, FFA 2100,
 * PPA 900, each subject ±10 %) — ours (src/fmri) against the numpy/scipy/sklearn/statsmodels reference
 * (bench/fmri_reference.py) on the same data, in the same run, each in its own process so peak RSS is its own.
 *
 *   node --import tsx bench/fmri.ts [--scale 0.25] [--areas V4,PPA]      (npm run bench -- fmri)
 * The last line is `ratio: <reference seconds / our seconds>`.
 * Measured 2026-11-27 on the shared 2-core box (other jobs running): ours 961 s (hyperalignment 819 s), peak RSS
 * 3.5 GB; reference 320 s (hyperalignment 222 s), 1.6 GB; same selections, max |Δr| 4.2e-13; ratio 0.333.
 * Where the time goes: 11 float64 eigenproblems of ~1200² per area in JavaScript (6.6 s each vs 0.15 s for
 * LAPACK `eigh`) and ~2 GFLOP/s products, against multithreaded OpenBLAS on the numpy side.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeGod } from '../src/synthetic/god.js';
import { averageRepetitions, commonImageOrder, type SubjectTrialData } from '../src/fmri/trial-average.js';
import { alignAreaCost, alignAreaTransfer, type AlignAreaTask, type AlignedArea } from '../src/fmri/align-area.js';
import { defaultThreads, runInWorkers } from '../src/threads/thread-pool.js';
import type { DenseMatrix } from '../src/linalg/dense.js';
import { kFoldAssignment } from '../src/fmri/kfold.js';
import { prepareFolds } from '../src/fmri/ridge-cv.js';
import { scoreVoxels } from '../src/fmri/voxel-selection.js';

const GOD_VOXELS: Record<string, number> = { V1: 2521, V2: 2687, V3: 2058, V4: 1283, LOC: 2724, FFA: 2100, PPA: 900 };
/** The reference interpreter (numpy, scipy, scikit-learn, statsmodels); PAM_BENCH_PYTHON overrides it. */
const PYTHON = process.env['PAM_BENCH_PYTHON'] ?? join(fileURLToPath(new URL('..', import.meta.url)), '.tools/venv-ref/bin/python');

interface Meta {
  areas: string[];
  subjects: string[];
  voxels: Record<string, Record<string, number>>;
  trainImages: number;
  testImages: number;
  latentDim: number;
  lambdaCount: number;
  folds: number;
  foldSeed: number;
}

/** What each side prints: timed seconds (all, and hyperalignment alone), peak RSS, selected voxels per area. */
interface Side {
  seconds: number;
  alignSeconds: number;
  peakRssMb: number;
  selected: Record<string, number>;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function readBlock(dir: string, name: string, rows: number, cols: number) {
  const bytes = readFileSync(join(dir, `${name}.f32`));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, rows * cols);
  return { rows, cols, data: Float64Array.from(values) };
}

/** Child-process side: our pipeline on the written data; prints one JSON line. */
async function runOurs(dir: string): Promise<void> {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
  const latents = readBlock(dir, 'latents-train', meta.trainImages, meta.latentDim);
  const inputs = meta.areas.map((area) => ({
    train: meta.subjects.map((s) => readBlock(dir, `${s}-${area}-train`, meta.trainImages, meta.voxels[s]![area]!)),
    test: meta.subjects.map((s) => readBlock(dir, `${s}-${area}-test`, meta.testImages, meta.voxels[s]![area]!)),
  }));
  const selected: Record<string, number> = {};
  const start = performance.now();
  // As the stages run it: areas aligned on worker threads (hyperalign), then scored with shared fold SVDs.
  const tasks: AlignAreaTask[] = meta.areas.map((area, a) => ({ area, ...inputs[a]!, labels: meta.subjects, zscoreDdof: 1 }));
  // Voxel selection needs each area's aligned training responses only (as the reference keeps).
  const alignedTrain: DenseMatrix[] = [];
  await runInWorkers<AlignAreaTask, AlignedArea>(new URL('../src/fmri/align-area-worker.ts', import.meta.url), tasks, {
    threads: defaultThreads(tasks.length),
    cost: alignAreaCost,
    transfer: alignAreaTransfer,
    keepResults: false,
    onResult: (a, aligned) => {
      alignedTrain[a] = aligned.train;
    },
  });
  const alignSeconds = (performance.now() - start) / 1000;
  const bases = prepareFolds(latents, kFoldAssignment(meta.trainImages, meta.folds, meta.foldSeed), meta.lambdaCount, 'per-fold');
  meta.areas.forEach((area, a) => {
    const scores = scoreVoxels(bases, alignedTrain[a]!, { alpha: 0.05, alternative: 'greater', label: area });
    selected[area] = scores.selected.reduce((x, y) => x + y, 0);
    writeFileSync(join(dir, `ours-r-${area}.f64`), new Uint8Array(scores.r.buffer));
  });
  const seconds = (performance.now() - start) / 1000;
  // Worker threads share the process, so maxRSS covers them too.
  console.log(JSON.stringify({ seconds, alignSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, selected }));
}

function writeData(dir: string, scale: number, areas: string[]): Meta {
  const areaVoxels = Object.fromEntries(areas.map((a) => [a, Math.max(8, Math.round(GOD_VOXELS[a]! * scale))]));
  // One repetition with the noise of a 5-repetition average: the bench times preprocessing of averaged data.
  const config = {
    subjects: 3,
    areaVoxels,
    voxelJitter: 0.1,
    noSignalFraction: 0.3,
    signalAmplitude: {},
    silentAreas: areas.includes('PPA') ? ['PPA'] : [],
    trainImages: 1200,
    trainRepetitions: 1,
    testImages: 50,
    testRepetitions: 1,
    trialsPerRun: 50,
    latentDim: 512,
    trialNoise: 2 / Math.sqrt(5),
  };
  const world = synthesizeGod(config, 2026);
  const subjects: SubjectTrialData[] = world.subjects.map((s) => ({
    subject: s.subject,
    imageIds: s.imageIds,
    split: s.split,
    areas: new Map(s.areas.map((a, i) => [a.area, { voxels: a.voxels, values: s.responses[i]! }])),
  }));
  const order = commonImageOrder(subjects);
  const write = (name: string, data: ArrayLike<number>) =>
    writeFileSync(join(dir, `${name}.f32`), new Uint8Array(Float32Array.from(data).buffer));
  const latentRows = order.train.map((id) => world.imageIds.indexOf(id));
  write(
    'latents-train',
    latentRows.flatMap((i) => [...world.latents.subarray(i * 512, (i + 1) * 512)]),
  );
  const voxels: Meta['voxels'] = {};
  for (const s of subjects) {
    voxels[s.subject] = {};
    for (const area of areas) {
      voxels[s.subject]![area] = s.areas.get(area)!.voxels;
      write(`${s.subject}-${area}-train`, averageRepetitions(s, area, 'train', order.train).data);
      write(`${s.subject}-${area}-test`, averageRepetitions(s, area, 'test', order.test).data);
    }
  }
  const meta: Meta = {
    areas,
    subjects: subjects.map((s) => s.subject),
    voxels,
    trainImages: 1200,
    testImages: 50,
    latentDim: 512,
    lambdaCount: 10,
    folds: 10,
    foldSeed: 7,
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  return meta;
}

async function main(): Promise<void> {
  const ours = argument('--run-ours');
  if (ours) return runOurs(ours);
  const scale = Number(argument('--scale') ?? '1');
  const areas = (argument('--areas') ?? Object.keys(GOD_VOXELS).join(',')).split(',');
  const dir = mkdtempSync(join(tmpdir(), 'pam-bench-fmri-'));
  try {
    const meta = writeData(dir, scale, areas);
    const sizes = areas.map(
      (a) =>
        `${a} ${Object.values(meta.voxels)
          .map((v) => v[a])
          .join('/')}`,
    );
    console.log(`data: ${meta.subjects.length} subjects, areas ${sizes.join(', ')}`);
    const run = (command: string, args: string[]): Side => {
      const stdout = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
      return JSON.parse(stdout.trim().split('\n').pop()!) as Side;
    };
    const mine = run(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--run-ours', dir]);
    const reference = run(PYTHON, [fileURLToPath(new URL('fmri_reference.py', import.meta.url)), dir]);
    let worst = 0;
    for (const area of areas) {
      const a = new Float64Array(Uint8Array.from(readFileSync(join(dir, `ours-r-${area}.f64`))).buffer);
      const b = new Float64Array(Uint8Array.from(readFileSync(join(dir, `reference-r-${area}.f64`))).buffer);
      a.forEach((x, v) => {
        worst = Math.max(worst, Math.abs(x - b[v]!));
      });
    }
    const line = (side: Side) =>
      `${side.seconds.toFixed(2)} s (hyperalignment ${side.alignSeconds.toFixed(2)} s), ` +
      `peak RSS ${side.peakRssMb.toFixed(0)} MB, selected ${JSON.stringify(side.selected)}`;
    console.log(`ours:      ${line(mine)}`);
    console.log(`reference: ${line(reference)}`);
    console.log(`max |r_ours − r_reference| over all voxels: ${worst.toExponential(2)}`);
    console.log(`ratio: ${(reference.seconds / mine.seconds).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
