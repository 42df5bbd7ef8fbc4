/** Messages between an activity (main thread) and the compute thread that runs a stage. */
import type { StageProgress, StageResult } from '../stages/stage-definition.js';

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

export type ThreadToMain =
  | { type: 'progress'; progress: StageProgress }
  | { type: 'log'; message: string }
  | { type: 'done'; result: StageResult }
  | { type: 'error'; name: string; message: string; stack?: string; retryable?: boolean };

export type MainToThread = { type: 'abort' };
