/**
 * What each experiment's stages were last keyed on, so a rerun can say what changed: the key parts and, for each
 * external input, its file name and digests (a folder's per-file digests live here, not in the key, so a reason
 * can name the files that changed). One small JSON file per stage under `<state>/experiments/<experiment>/keys/`,
 * replaced atomically; one that cannot be read is reported and treated as absent, never fatal.
 */
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cacheKeyPartsSchema, type CacheKeyParts } from './artifact-manifest.js';
import { replaceFileDurably } from './file-io.js';
import type { Fingerprint } from './fingerprints.js';

/** An external input's content when the key was made; `name` is the file or folder name, for messages. */
export interface ExternalRecord extends Fingerprint {
  name: string;
}

export interface StageKeyRecord {
  keyParts: CacheKeyParts;
  /** External input label → what it held (empty for stages that read none). */
  external: Record<string, ExternalRecord>;
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const recordSchema = z.union([
  z.object({
    keyParts: cacheKeyPartsSchema,
    external: z.record(z.string(), z.object({ name: z.string(), sha256, files: z.record(z.string(), sha256).optional() })),
  }),
  // Records written before external inputs were keyed held the key parts alone.
  cacheKeyPartsSchema.transform((keyParts) => ({ keyParts, external: {} })),
]) satisfies z.ZodType<StageKeyRecord, z.ZodTypeDef, unknown>;

export class StageRecords {
  constructor(private readonly stateRoot: string) {}

  private file(experiment: string, stageId: string): string {
    return path.join(this.stateRoot, 'experiments', experiment, 'keys', `${stageId}.json`);
  }

  /** The last record, if one can be read; `onUnreadable` hears about a damaged one, which is then skipped. */
  last(experiment: string, stageId: string, onUnreadable: (file: string, reason: string) => void): StageKeyRecord | undefined {
    const file = this.file(experiment, stageId);
    if (!existsSync(file)) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      onUnreadable(file, `not JSON (${(error as Error).message})`);
      return undefined;
    }
    const parsed = recordSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    onUnreadable(file, `not a stage record (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`);
    return undefined;
  }

  /** The experiments that have a record of at least one stage, by name. */
  experiments(): string[] {
    return namesIn(path.join(this.stateRoot, 'experiments'), (entry) => entry.isDirectory()).sort();
  }

  /** The stage ids this experiment has records of (its committed stages), by name. */
  stageIds(experiment: string): string[] {
    return namesIn(path.join(this.stateRoot, 'experiments', experiment, 'keys'), (entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  }

  remember(experiment: string, stageId: string, record: StageKeyRecord): void {
    // Atomic: a crash mid-write leaves the previous record, not a torn one.
    replaceFileDurably(this.file(experiment, stageId), JSON.stringify(record, null, 2));
  }
}

function namesIn(dir: string, keep: (entry: Dirent) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter(keep)
    .map((entry) => entry.name);
}
