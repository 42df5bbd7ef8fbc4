/**
 * A seeded GOD-like world (paper §2.2; design of Horikawa & Kamitani 2017 / Shen et al. 2019: 1200 training
 * images × 5 repetitions, 50 test images × 24 repetitions, areas V1–V4, LOC, FFA, PPA; docs/datasets.md §B.2).
 *
 * Generative model, per area A:
 *   shared_A = latents · W_A                    (images × k_A, columns unit variance; k_A = most informative voxels
 *                                                of any subject in A), the stimulus-driven response all subjects share;
 *   signal_{s,A} = shared_A · Q_s[:, :m_s]       Q_s a subject-specific random orthogonal k_A × k_A transform
 *                                                (random permutation · random signs · 3 Householder reflections, an
 *                                                O(k) product instead of a k³ Haar draw so GOD-scale worlds stay cheap);
 *   trial = gain_s · signal at the m_s informative voxels (random positions) + baseline_v + N(0, noise²).
 * A fraction of every area's voxels carries no signal; PPA carries none at all (the paper's Table 1 finding).
 */
import { Rng } from '../random/rng.js';

export interface SyntheticGodConfig {
  subjects: number;
  /** Base voxel count per area; each subject gets base·(1 ± voxelJitter). */
  areaVoxels: Record<string, number>;
  voxelJitter: number;
  /** Fraction of voxels without signal, for every area or per area (areas not named: 0); `silentAreas` have 1. */
  noSignalFraction: number | Record<string, number>;
  /** Amplitude of the planted signal relative to its unit variance, per area (areas not named: 1). */
  signalAmplitude: Record<string, number>;
  silentAreas: string[];
  trainImages: number;
  trainRepetitions: number;
  testImages: number;
  testRepetitions: number;
  /** Trials per run in the training session (a test repetition is one run). */
  trialsPerRun: number;
  latentDim: number;
  trialNoise: number;
}

export interface SubjectArea {
  area: string;
  voxels: number;
  informative: Uint8Array;
  /** images × voxels noise-free response (zeros at no-signal voxels), all images in `images` order. */
  signal: Float32Array;
}

export interface SubjectTrials {
  subject: string;
  imageIds: string[];
  split: ('train' | 'test')[];
  repetition: Int32Array;
  run: Int32Array;
  /** Per area, trials × voxels. */
  responses: Float32Array[];
  areas: SubjectArea[];
}

export interface SyntheticGod {
  imageIds: string[];
  imageSplit: ('train' | 'test')[];
  /** images × latentDim. */
  latents: Float32Array;
  subjects: SubjectTrials[];
}

/** Random orthogonal map applied to each row of `rows` (n × k) in place: x ↦ x·P·D·H1·H2·H3. */
function randomOrthogonalRows(rows: Float64Array, n: number, k: number, rng: Rng): void {
  const permutation = rng.permutation(k);
  const signs = Float64Array.from({ length: k }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const reflections = [0, 1, 2].map(() => {
    const v = Float64Array.from({ length: k }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  const scratch = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const row = rows.subarray(i * k, (i + 1) * k);
    for (let j = 0; j < k; j++) scratch[j] = row[permutation[j]!]! * signs[j]!;
    for (const v of reflections) {
      let dot = 0;
      for (let j = 0; j < k; j++) dot += scratch[j]! * v[j]!;
      for (let j = 0; j < k; j++) scratch[j] -= 2 * dot * v[j]!;
    }
    row.set(scratch);
  }
}

/** shared_A = latents·W_A with W_A Gaussian, then each column standardised to unit variance over images. */
function sharedResponse(latents: Float32Array, images: number, latentDim: number, width: number, rng: Rng): Float64Array {
  const weights = rng.normals(latentDim * width);
  const shared = new Float64Array(images * width);
  for (let i = 0; i < images; i++) {
    for (let d = 0; d < latentDim; d++) {
      const x = latents[i * latentDim + d]!;
      for (let j = 0; j < width; j++) shared[i * width + j] += x * weights[d * width + j]!;
    }
  }
  for (let j = 0; j < width; j++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < images; i++) sum += shared[i * width + j]!;
    const mean = sum / images;
    for (let i = 0; i < images; i++) squares += (shared[i * width + j]! - mean) ** 2;
    const sd = Math.sqrt(squares / images) || 1;
    for (let i = 0; i < images; i++) shared[i * width + j] = (shared[i * width + j]! - mean) / sd;
  }
  return shared;
}

/** Trial order: every repetition shows every image of the split once, in a fresh random order. */
function trialSchedule(config: SyntheticGodConfig, rng: Rng) {
  const image: number[] = [];
  const repetition: number[] = [];
  const run: number[] = [];
  const runsPerTrainRepetition = Math.ceil(config.trainImages / config.trialsPerRun);
  for (let r = 0; r < config.trainRepetitions; r++) {
    rng.permutation(config.trainImages).forEach((img, position) => {
      image.push(img);
      repetition.push(r);
      run.push(r * runsPerTrainRepetition + Math.floor(position / config.trialsPerRun));
    });
  }
  const firstTestRun = config.trainRepetitions * runsPerTrainRepetition;
  for (let r = 0; r < config.testRepetitions; r++) {
    rng.permutation(config.testImages).forEach((img) => {
      image.push(config.trainImages + img);
      repetition.push(r);
      run.push(firstTestRun + r);
    });
  }
  return { image, repetition: Int32Array.from(repetition), run: Int32Array.from(run) };
}

export function synthesizeGod(config: SyntheticGodConfig, seed: number): SyntheticGod {
  const rng = new Rng(seed);
  const images = config.trainImages + config.testImages;
  const pad = (i: number) => String(i).padStart(4, '0');
  const imageIds = [
    ...Array.from({ length: config.trainImages }, (_, i) => `train-${pad(i)}`),
    ...Array.from({ length: config.testImages }, (_, i) => `test-${pad(i)}`),
  ];
  const imageSplit = imageIds.map((_, i) => (i < config.trainImages ? 'train' : 'test') as 'train' | 'test');
  const latents = rng.fork(1).normals(images * config.latentDim);
  const areaNames = Object.keys(config.areaVoxels);
  const subjectNames = Array.from({ length: config.subjects }, (_, s) => `sub-${String(s + 1).padStart(2, '0')}`);

  // Voxel layout first, so each area's shared width k_A (largest informative count) is known.
  const layoutRng = rng.fork(2);
  const voxels = subjectNames.map(() =>
    areaNames.map((area) => {
      const jitter = 1 + config.voxelJitter * (2 * layoutRng.uniform() - 1);
      return Math.max(2, Math.round(config.areaVoxels[area]! * jitter));
    }),
  );
  const noSignal = (area: string) =>
    config.silentAreas.includes(area)
      ? 1
      : typeof config.noSignalFraction === 'number'
        ? config.noSignalFraction
        : (config.noSignalFraction[area] ?? 0);
  const informativeCounts = voxels.map((row) => row.map((count, a) => Math.round(count * (1 - noSignal(areaNames[a]!)))));
  const sharedRng = rng.fork(3);
  const shared = areaNames.map((_, a) => {
    const width = Math.max(...informativeCounts.map((row) => row[a]!));
    return { width, values: width > 0 ? sharedResponse(latents, images, config.latentDim, width, sharedRng.fork(a)) : null };
  });

  const subjects = subjectNames.map((subject, s) => {
    const subjectRng = rng.fork(100 + s);
    const schedule = trialSchedule(config, subjectRng.fork(0));
    const trials = schedule.image.length;
    const gain = 0.7 + 0.6 * subjectRng.uniform();
    const areas: SubjectArea[] = [];
    const responses = areaNames.map((area, a) => {
      const areaRng = subjectRng.fork(10 + a);
      const count = voxels[s]![a]!;
      const informativeCount = informativeCounts[s]![a]!;
      const informative = new Uint8Array(count);
      const positions = areaRng.permutation(count).subarray(0, informativeCount);
      for (const v of positions) informative[v] = 1;
      const signal = new Float32Array(images * count);
      const { width, values } = shared[a]!;
      if (values && informativeCount > 0) {
        const mixed = Float64Array.from(values);
        randomOrthogonalRows(mixed, images, width, areaRng);
        for (let i = 0; i < images; i++) {
          positions.forEach((v, c) => {
            signal[i * count + v] = mixed[i * width + c]!;
          });
        }
      }
      areas.push({ area, voxels: count, informative, signal });
      const baseline = areaRng.normals(count, 2);
      const amplitude = gain * (config.signalAmplitude[area] ?? 1);
      const out = new Float32Array(trials * count);
      for (let t = 0; t < trials; t++) {
        const img = schedule.image[t]!;
        for (let v = 0; v < count; v++) {
          out[t * count + v] = amplitude * signal[img * count + v]! + baseline[v]! + config.trialNoise * areaRng.normal();
        }
      }
      return out;
    });
    return {
      subject,
      imageIds: schedule.image.map((i) => imageIds[i]!),
      split: schedule.image.map((i) => imageSplit[i]!),
      repetition: schedule.repetition,
      run: schedule.run,
      responses,
      areas,
    };
  });
  return { imageIds, imageSplit, latents, subjects };
}
