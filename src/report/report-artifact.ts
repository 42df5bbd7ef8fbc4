/**
 * The report as an artifact of its run: a content-addressed `report` artifact (one file, `report.html`) committed
 * through the ArtifactStore like a stage's, and published to the shared store when there is one
 * (src/store/artifact-lookup.ts), so every client of an `s3` store finds it, with a manifest naming what it shows.
 *
 * Its key covers everything the page is made of: the report code's version, the experiment, its config hash, each
 * stage's status and reason in the run, the comparison with other experiments when asked for, and the keys of the artifacts shown (their manifests, tables, images and
 * logs are immutable under those keys). The page carries no clock reading of its own, so the same run reported
 * twice is one artifact, found instead of rendered again.
 */
import { cacheKey, localProducer, type ArtifactStore } from '../store/artifact-store.js';
import type { CacheKeyParts } from '../store/artifact-manifest.js';
import { lookUpArtifact, publishCommitted, type SharedSide } from '../store/artifact-lookup.js';
import type { StoreView } from '../store/store-view.js';
import { readReportData } from './read-report.js';
import { renderReport } from './render-report.js';
import type { ReportSubject } from './report-model.js';
import path from 'node:path';

export const REPORT_STAGE = 'report';
export const REPORT_FILE = 'report.html';
/** Bump when the page changes for the same inputs, as a stage's `codeVersion`. */
export const REPORT_CODE_VERSION = '1';

/** Where the report is written: the store as this process commits to it (a stage's engine deps) and as it reads it. */
export interface ReportStore {
  local: ArtifactStore;
  shared?: SharedSide | undefined;
  view: StoreView;
}

export interface CommittedReport {
  key: string;
  /** The page in this machine's copy of the store. */
  file: string;
  /** Where the artifact lives in the store: a folder or a URI. */
  location: string;
  /** False when an identical report was already committed. */
  rendered: boolean;
}

export function reportKeyParts(subject: ReportSubject): CacheKeyParts {
  const { config, configHash, rows, comparison } = subject;
  return {
    stage: REPORT_STAGE,
    codeVersion: REPORT_CODE_VERSION,
    params: {
      experiment: config.experiment,
      configHash,
      stages: rows.map((r) => ({ id: r.id, uses: r.uses, status: r.status, reason: r.reason ?? null, error: r.error ?? null })),
      // The compared experiments' numbers and params, as shown: another comparison is another page.
      ...(comparison ? { comparison } : {}),
    },
    inputKeys: Object.fromEntries(rows.flatMap((r) => (r.key === undefined ? [] : [[r.id, r.key]]))),
    seed: config.seed,
  };
}

/** The run's report artifact: found when already committed, else rendered from the store and committed. */
export async function commitReport(subject: ReportSubject & { dataset: string }, store: ReportStore): Promise<CommittedReport> {
  const keyParts = reportKeyParts(subject);
  const key = cacheKey(keyParts);
  const location = store.view.locate(REPORT_STAGE, key);
  const found = await lookUpArtifact(store.local, store.shared, REPORT_STAGE, key, (message) => console.warn(`warning: ${message}`));
  if (found.status === 'intact') return { key, file: path.join(found.dir, REPORT_FILE), location, rendered: false };
  const startedAt = new Date();
  const page = await renderReport(await readReportData(subject, store.view));
  const staging = store.local.createStaging(REPORT_STAGE, key);
  try {
    staging.writeFile(REPORT_FILE, page);
    const committed = await store.local.commit(staging, {
      keyParts,
      inputs: Object.fromEntries(subject.rows.flatMap((r) => (r.key === undefined ? [] : [[r.id, { stage: r.uses, key: r.key }]]))),
      summary: { experiment: subject.config.experiment, stages: subject.rows.length, bytes: Buffer.byteLength(page) },
      startedAt,
      producer: localProducer({ experiment: subject.config.experiment }),
    });
    await publishCommitted(store.local, store.shared, committed.manifest, committed.dir);
    return { key, file: path.join(committed.dir, REPORT_FILE), location, rendered: true };
  } catch (error) {
    staging.discard();
    throw error;
  }
}
