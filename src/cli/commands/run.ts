/** `pam run <pipeline.yaml> [--set k=v]... [--dry-run] [--external-workers] [--force STAGE]...` */
import { loadPipelineConfig, type LoadedPipelineConfig } from '../../config/load-pipeline-config.js';
import { planStages } from '../../contracts/plan.js';
import { ArtifactStore, cacheKey } from '../../store/artifact-store.js';
import { specOf, stageKeyParts } from '../../engine/stage-key-parts.js';
import { stateDir } from '../../paths/project-paths.js';
import { startExperiment } from '../../temporal/experiment-client.js';
import { parseArgs, onePositional } from '../args.js';
import { formatTable } from '../tables-report.js';
import { startInProcessWorker } from '../in-process-worker.js';
import { follow, openSession, uiLink } from '../session.js';
import { reportOutcome } from './report-outcome.js';

export async function runCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['set', 'force'], ['dry-run', 'external-workers']);
  const file = onePositional(args, 'pipeline YAML file');
  const loaded = loadPipelineConfig(file, args.options.get('set') ?? []);
  console.log(`experiment ${loaded.config.experiment} · config hash ${loaded.hash}`);
  if (args.flags.has('dry-run')) {
    console.log(await renderPlan(loaded));
    return 0;
  }
  const session = await openSession((line) => console.log(line));
  const inProcess = loaded.config.runtime.workers === 'in-process' && !args.flags.has('external-workers');
  const worker = inProcess ? await startInProcessWorker(session) : undefined;
  try {
    const { handle, started } = await startExperiment(session.client, loaded, args.options.get('force') ?? []);
    console.log(
      `${started ? 'started' : 'attached to running'} workflow ${handle.workflowId} — ${uiLink(session, loaded.config.experiment)}`,
    );
    if (!started && args.options.has('force'))
      console.warn(
        'note: --force was ignored: the experiment is already running (pam retry --stage S --force recomputes a stage of a parked one)',
      );
    if (!inProcess) console.log('waiting for external workers (`pam worker`) to pick it up');
    return reportOutcome(await follow(handle), session, loaded.config.experiment);
  } finally {
    await worker?.stop();
    await session.close();
  }
}

/** The plan with every stage's cache key and whether it is already committed — no server, no network. */
async function renderPlan(loaded: LoadedPipelineConfig): Promise<string> {
  const store = new ArtifactStore(stateDir());
  const keys = new Map<string, string>();
  const body: string[][] = [];
  for (const stage of planStages(loaded.config)) {
    const inputKeys = Object.fromEntries(Object.entries(stage.inputs).map(([role, id]) => [role, keys.get(id)!]));
    const key = cacheKey(stageKeyParts({ uses: stage.uses, params: stage.params, inputKeys, seed: stage.seed }));
    keys.set(stage.id, key);
    const state = await store.verify(stage.uses, key);
    const inputs = Object.entries(stage.inputs)
      .map(([role, id]) => `${role}←${id}`)
      .join(' ');
    body.push([stage.id, stage.uses, inputs, key.slice(0, 16), state.status === 'intact' ? 'cached' : 'to compute']);
    for (const line of (await specOf(stage.uses).describePlan?.(stage.params as never)) ?? []) body.push(['', '', '', '', `  ${line}`]);
  }
  return formatTable(['stage', 'kind', 'inputs', 'key', 'state'], body);
}
