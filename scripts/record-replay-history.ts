/**
 * Record event histories of a small real experiment for the replay test (test/replay/): the first run (every
 * stage computed) and a second run (every stage a cache hit). Run it again whenever the workflow changes on
 * purpose, keeping older histories while runs recorded with them may still be replayed:
 *   node --import tsx scripts/record-replay-history.ts test/replay/replay-fixture.yaml test/replay/histories/<prefix>
 */
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { temporalBinary } from '../src/temporal/project-paths.js';
import { startTestWorld } from '../test/support/test-world.js';
import { workflowIdOf } from '../src/temporal/experiment-client.js';
import { loadPipelineConfig } from '../src/config/load-pipeline-config.js';

const [pipeline, out] = process.argv.slice(2);
if (!pipeline || !out) throw new Error('usage: record-replay-history.ts <pipeline.yaml> <output prefix>');
const world = await startTestWorld();
try {
  const experiment = loadPipelineConfig(pipeline).config.experiment;
  for (const run of ['computed', 'cached']) {
    const result = await world.pam(['run', pipeline]);
    if (result.code !== 0) throw new Error(`pam run failed:\n${result.stdout}\n${result.stderr}`);
    // The CLI's JSON is the history format the UI downloads and `Worker.runReplayHistory` reads.
    const json = execFileSync(temporalBinary(), ['workflow', 'show', '--workflow-id', workflowIdOf(experiment), '--output', 'json', '--address', world.address]);
    const file = `${out}-${run}.json`;
    writeFileSync(file, json);
    console.log(`wrote ${file} (${(JSON.parse(json.toString()) as { events: unknown[] }).events.length} events)`);
  }
} finally {
  await world.stop();
}
