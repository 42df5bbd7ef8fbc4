/**
 * Record the event history of a small real experiment for the replay test (test/replay/). Run it again whenever
 * the workflow changes on purpose (and keep the old history too if old runs must still replay):
 *   node --import tsx scripts/record-replay-history.ts pipelines/replay-fixture.yaml test/replay/histories/<name>.json
 */
import { writeFileSync } from 'node:fs';
import { startTestWorld } from '../test/support/test-world.js';
import { workflowIdOf } from '../src/temporal/experiment-client.js';
import { loadPipelineConfig } from '../src/config/load-pipeline-config.js';

const [pipeline, out] = process.argv.slice(2);
if (!pipeline || !out) throw new Error('usage: record-replay-history.ts <pipeline.yaml> <out.json>');
const world = await startTestWorld();
try {
  const result = await world.pam(['run', pipeline]);
  if (result.code !== 0) throw new Error(`pam run failed:\n${result.stdout}\n${result.stderr}`);
  const experiment = loadPipelineConfig(pipeline).config.experiment;
  const history = await world.client.workflow.getHandle(workflowIdOf(experiment)).fetchHistory();
  writeFileSync(out, JSON.stringify(history, null, 1));
  console.log(`wrote ${out} (${history.events?.length} events)`);
} finally {
  await world.stop();
}
