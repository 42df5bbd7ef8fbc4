/**
 * What crosses into and out of the compute thread that runs one stage (compute-thread.ts): its job and its
 * events. The runtime's own messages (result, error, abort) are src/threads/thread-protocol.ts.
 */
import type { StageProgress } from '../stages/stage-definition.js';

export interface ThreadJob {
  kind: string;
  mode: 'run' | 'merge';
  params: unknown;
  seed: number;
  /** Input role → committed artifact folder. */
  inputDirs: Record<string, string>;
  stagingDir: string;
  partialDir: string;
  resumeToken: unknown;
  backend: string;
  dataCacheDir: string;
  shard: { index: number; count: number } | null;
}

export type StageThreadEvent = { type: 'progress'; progress: StageProgress } | { type: 'log'; message: string };
