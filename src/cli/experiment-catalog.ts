/**
 * What `pam list` and `pam compare` know of experiments: those the server holds workflows of (a visibility query on
 * the `PamExperiment` search attribute; status, start, config hash and stage table from each newest run) and those
 * the store has stage records of (`<store>/experiments/<name>/keys/`, written when a stage commits; so with no
 * server, or after the history expired, an experiment is still found with its committed stages), plus the
 * results table of each, read through the client's store.
 */
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { ExperimentInput, StageRow } from '../contracts/stage-requests.js';
import type { ResultRow } from '../evaluation/results-table.js';
import { cacheKey } from '../store/artifact-store.js';
import type { StoreView } from '../store/store-view.js';
import { RESULTS } from '../tables/evaluation.js';
import { experimentState, knownExperiments, workflowIdOf } from '../temporal/experiment-client.js';
import { ConfigError } from '../errors/pipeline-errors.js';
import type { ExperimentResults } from '../evaluation/experiment-comparison.js';
import { didYouMean } from '../util/closest-name.js';
import type { Session } from './session.js';
import { CONFIG_HASH_KEY, EXPERIMENT_KEY } from '../../workflows/search-attributes.js';
import { readResultRows } from './tables-report.js';

export interface KnownExperiment {
  experiment: string;
  /** Where it was found. */
  sources: ('server' | 'store')[];
  /** The newest run's workflow status (`PARKED at <stage>` while parked), or `committed N/M stages` from the store. */
  status: string;
  /** When its newest run started (server), else when its last stage was committed (store); ISO time. */
  when: string | null;
  configHash: string | null;
  stages: StageRow[];
}

/** Experiments of the server's newest runs, newest first; at most `limit` runs read. */
export async function serverExperiments(client: Client, limit = 1000): Promise<KnownExperiment[]> {
  const found = new Map<string, KnownExperiment>();
  let read = 0;
  for await (const run of client.workflow.list({ query: `${EXPERIMENT_KEY.name} IS NOT NULL` })) {
    if (++read > limit) break;
    const name = run.typedSearchAttributes.get(EXPERIMENT_KEY);
    // Visibility lists newest runs first: an experiment's first run seen is its latest.
    if (!name || found.has(name)) continue;
    const stages = ((run.memo ?? {}) as { stages?: StageRow[] }).stages ?? [];
    const parked = stages.find((r) => r.status === 'failed');
    found.set(name, {
      experiment: name,
      sources: ['server'],
      status: parked && run.status.name === 'RUNNING' ? `PARKED at ${parked.id}` : run.status.name,
      when: run.startTime.toISOString(),
      configHash: run.typedSearchAttributes.get(CONFIG_HASH_KEY) ?? null,
      stages,
    });
  }
  return [...found.values()];
}

/** Experiments the store has stage records of, with the stages whose artifact is committed under the recorded key. */
export async function storeExperiments(store: StoreView): Promise<KnownExperiment[]> {
  const found: KnownExperiment[] = [];
  for (const experiment of store.records.experiments()) {
    const stages: StageRow[] = [];
    let when: string | null = null;
    for (const id of store.records.stageIds(experiment)) {
      const record = store.records.last(experiment, id, () => undefined);
      if (!record) continue;
      const key = cacheKey(record.keyParts);
      const manifest = await store.manifest(record.keyParts.stage, key).catch(() => null);
      stages.push({ id, uses: record.keyParts.stage, key, status: manifest ? 'done' : 'pending' });
      if (manifest && (when === null || manifest.timings.finishedAt > when)) when = manifest.timings.finishedAt;
    }
    if (stages.length === 0) continue;
    const committed = stages.filter((s) => s.status === 'done').length;
    found.push({
      experiment,
      sources: ['store'],
      status: `committed ${committed}/${stages.length} stages`,
      when,
      configHash: null,
      stages,
    });
  }
  return found;
}

/** The server's experiments, then those only the store knows; one entry per name. */
export function mergeKnown(server: readonly KnownExperiment[], store: readonly KnownExperiment[]): KnownExperiment[] {
  const merged = server.map((s) =>
    store.some((t) => t.experiment === s.experiment) ? { ...s, sources: [...s.sources, 'store' as const] } : s,
  );
  return [...merged, ...store.filter((t) => !server.some((s) => s.experiment === t.experiment))];
}

/** The results table of the first of `rows` whose committed artifact holds one; empty when none does. */
export async function resultsOf(rows: readonly StageRow[], store: StoreView): Promise<ResultRow[]> {
  for (const row of rows) {
    if (!row.key || row.status === 'failed') continue;
    const manifest = await store.manifest(row.uses, row.key).catch(() => null);
    if (!manifest?.files.some((f) => f.path === `${RESULTS.name}.arrow`)) continue;
    return readResultRows(path.join(await store.localDir(row.uses, row.key), `${RESULTS.name}.arrow`));
  }
  return [];
}

/**
 * The number to show first for an experiment: PAM's LPIPS when images were scored (the paper's Table 2 headline),
 * else its latent cosine; the first decoder's when there is no PAM.
 */
export function headlineOf(results: readonly ResultRow[]): ResultRow | null {
  const decoder = results.some((r) => r.decoder === 'pam') ? 'pam' : results[0]?.decoder;
  const ofDecoder = results.filter((r) => r.decoder === decoder);
  return ofDecoder.find((r) => r.metric === 'lpips') ?? ofDecoder.find((r) => r.metric === 'latent-cosine') ?? ofDecoder[0] ?? null;
}

/** The resolved config the newest run of `experiment` started with: its workflow input (first history event). */
export async function serverConfig(client: Client, experiment: string): Promise<ExperimentInput['config']> {
  const history = await client.workflow.getHandle(workflowIdOf(experiment)).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`the history of ${workflowIdOf(experiment)} holds no workflow input`);
  return defaultPayloadConverter.fromPayload<ExperimentInput>(payload).config;
}

/** What the store's stage records say of an experiment's config: each committed stage's kind, seed and params. */
export function storeConfig(store: StoreView, experiment: string): unknown {
  const stages = store.records.stageIds(experiment).flatMap((id) => {
    const record = store.records.last(experiment, id, () => undefined);
    return record ? [{ id, uses: record.keyParts.stage, seed: record.keyParts.seed, params: record.keyParts.params }] : [];
  });
  return { stages };
}

/** An experiment's config and results: from the server when it holds it, else from the store's records. */
export async function experimentResults(name: string, session: Session | undefined, store: StoreView): Promise<ExperimentResults> {
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
