/**
 * Record the digest of the code each stage runs, with its codeVersion, in src/stages/stage-digests.json
 * (scripts/stage-digests/digest-table.ts). Run it in the same commit as a codeVersion bump, or after a change that
 * preserves a stage's outputs; test/stages/stage-digests.test.ts fails until then:
 *   npm run record-stage-digests
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths/project-paths.js';
import { stageCatalog } from '../src/stages/catalog.js';
import {
  computeStageDigests,
  readStageDigests,
  STAGE_DIGESTS_FILE,
  type StageDigestTable,
  writeStageDigests,
} from './stage-digests/digest-table.js';

const root = projectRoot();
const file = join(root, STAGE_DIGESTS_FILE);
const previous: StageDigestTable = existsSync(file) ? readStageDigests(file) : {};
const current = computeStageDigests(join(root, 'src'), stageCatalog.values());
writeStageDigests(file, current);
// What this recording accepts, for the commit message and the reviewer.
for (const [kind, entry] of Object.entries(current)) {
  const before = previous[kind];
  if (before === undefined) console.log(`${kind}: new (codeVersion ${entry.codeVersion})`);
  else if (before.digest !== entry.digest || before.codeVersion !== entry.codeVersion) {
    const version = before.codeVersion === entry.codeVersion ? `kept ${entry.codeVersion}` : `${before.codeVersion} → ${entry.codeVersion}`;
    console.log(`${kind}: code ${before.digest === entry.digest ? 'unchanged' : 'changed'}, codeVersion ${version}`);
  }
}
console.log(`recorded ${Object.keys(current).length} stages in ${STAGE_DIGESTS_FILE}`);
