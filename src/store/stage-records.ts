/**
 * The key parts each experiment last used for each of its stages, so a rerun can say what changed.
 * One small JSON file per stage under `<state>/experiments/<experiment>/keys/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from './file-io.js';
import type { CacheKeyParts } from './artifact-manifest.js';

export class StageRecords {
  constructor(private readonly stateRoot: string) {}

  private file(experiment: string, stageId: string): string {
    return path.join(this.stateRoot, 'experiments', experiment, 'keys', `${stageId}.json`);
  }

  last(experiment: string, stageId: string): CacheKeyParts | undefined {
    const file = this.file(experiment, stageId);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CacheKeyParts) : undefined;
  }

  remember(experiment: string, stageId: string, parts: CacheKeyParts): void {
    writeFileDurably(this.file(experiment, stageId), JSON.stringify(parts, null, 2));
  }
}
