/**
 * While a stage computes against a shared store, each new checkpoint it reports (a changed resume token in its
 * progress) is pushed to the store (src/store/shared-checkpoints.ts), so that a retry on another worker resumes
 * from it. One push at a time, and only the newest waiting one: a checkpoint superseded while an upload runs is
 * never uploaded. A failed push costs only resumability and is logged; the stage goes on.
 */
import type { StageLog } from './stage-ports.js';

export interface CheckpointMirror {
  /** The stage reported a resume token: push if it differs from the last one. */
  reported(token: unknown): void;
  /** Wait for the pushes asked for so far. */
  settle(): Promise<void>;
}

export function mirrorCheckpoints(push: () => Promise<void>, log: StageLog, label: string): CheckpointMirror {
  let lastToken = JSON.stringify(null);
  let running: Promise<void> = Promise.resolve();
  let waiting = false;
  const pushOnce = async (): Promise<void> => {
    waiting = false;
    await push().catch((error: unknown) =>
      log.warn(`[${label}] could not copy its checkpoint to the shared store (a retry elsewhere starts further back): ${String(error)}`),
    );
  };
  return {
    reported(token) {
      const text = JSON.stringify(token ?? null);
      if (text === lastToken) return;
      lastToken = text;
      if (waiting) return;
      waiting = true;
      running = running.then(pushOnce);
    },
    settle: () => running,
  };
}
