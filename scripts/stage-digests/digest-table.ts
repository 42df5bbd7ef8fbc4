/**
 * The table of stage source digests committed at STAGE_DIGESTS_FILE: per stage kind, the `codeVersion` it was
 * recorded with, the digest of the code the stage runs (its spec and runner, src/stages/<kind>/{spec,runner}.ts,
 * and every module under src/ they load: module-closure.ts), and each file's own digest, so a failing check can
 * name the files that changed. The check is digest-check.ts; `npm run record-stage-digests` writes the table.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ModuleClosure } from './module-closure.js';

/** Repository-relative, as the failure messages name it. */
export const STAGE_DIGESTS_FILE = 'src/stages/stage-digests.json';
export const RECORD_COMMAND = 'npm run record-stage-digests';

const stageEntry = z
  .object({
    codeVersion: z.string(),
    digest: z.string().regex(/^[0-9a-f]{64}$/),
    files: z.record(z.string().regex(/^[0-9a-f]{64}$/)),
  })
  .strict();

const tableFile = z.object({ $comment: z.string(), stages: z.record(stageEntry) }).strict();

export type StageDigestEntry = z.infer<typeof stageEntry>;
/** Stage kind → entry. */
export type StageDigestTable = Record<string, StageDigestEntry>;

const COMMENT =
  `Written by \`${RECORD_COMMAND}\` (scripts/record-stage-digests.ts), checked by test/stages/stage-digests.test.ts: ` +
  'per stage kind, the codeVersion of src/stages/<kind>/spec.ts and the digest of the code that stage runs. ' +
  'Change a digest only together with a codeVersion bump, or when the code change preserves the outputs.';

export interface StageVersion {
  readonly kind: string;
  readonly codeVersion: string;
}

/** Digests of the code each stage runs, read from `srcDir` (a `src/` folder: the repository's or a copy). */
export function computeStageDigests(srcDir: string, stages: Iterable<StageVersion>): StageDigestTable {
  const modules = new ModuleClosure(srcDir);
  const table: StageDigestTable = {};
  for (const { kind, codeVersion } of [...stages].sort((a, b) => a.kind.localeCompare(b.kind))) {
    const roots = ['spec.ts', 'runner.ts'].map((name) => join(srcDir, 'stages', kind, name));
    const missing = roots.filter((root) => !existsSync(root));
    if (missing.length > 0) throw new Error(`stage '${kind}': expected its spec and runner at ${missing.join(', ')}`);
    const files = Object.fromEntries(modules.closure(roots));
    const digest = createHash('sha256')
      .update(JSON.stringify(Object.entries(files)))
      .digest('hex');
    table[kind] = { codeVersion, digest, files };
  }
  return table;
}

export function readStageDigests(path: string): StageDigestTable {
  return tableFile.parse(JSON.parse(readFileSync(path, 'utf8'))).stages;
}

export function writeStageDigests(path: string, stages: StageDigestTable): void {
  writeFileSync(path, `${JSON.stringify({ $comment: COMMENT, stages }, null, 2)}\n`);
}
