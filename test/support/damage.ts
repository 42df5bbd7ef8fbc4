/** Damage for tests of input verification (src/store/artifact-input.ts): changes only a hash can see. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StageRow } from '../../src/contracts/stage-requests.js';
import { waitFor, type TestWorld } from './test-world.js';

/** Flip one byte in the middle of a file: the same size, other content. */
export function flipByte(file: string): void {
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1]! ^= 0xff;
  writeFileSync(file, bytes);
}

/**
 * While `experiment` trains (its `train` stage has written a first checkpoint, so it has read its inputs), flip a
 * byte of `file` in the committed artifact of stage `upstream`, which `evaluate` opens next. Returns that file.
 */
export async function damageWhileTraining(world: TestWorld, experiment: string, upstream: string, file: string): Promise<string> {
  const handle = world.client.workflow.getHandle(`pam-experiment-${experiment}`);
  const row = (rows: StageRow[], id: string) => rows.find((r) => r.id === id);
  const target = await waitFor(
    `${experiment}: train checkpointing`,
    async () => {
      const rows = await handle.query<StageRow[]>('stages');
      const train = row(rows, 'train');
      const source = row(rows, upstream);
      if (train?.status !== 'running' || !train.key || !source?.key) return undefined;
      const dir = world.artifactDir(source);
      // A decoder's first checkpoint creates partial/train/<key>/<decoder>/ (src/stages/train/runner.ts).
      const partial = path.join(world.home, 'partial', 'train', train.key);
      return existsSync(partial) && readdirSync(partial).length > 0 ? path.join(dir, file) : undefined;
    },
    180_000,
  );
  flipByte(target);
  return target;
}
