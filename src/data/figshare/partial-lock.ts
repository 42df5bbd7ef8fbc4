/**
 * One downloader per partial file: two experiments fetching the same file at once must not append to the same
 * `<id>.part`. The lock is `<id>.part.lock` created exclusively (`wx`) with the owner's pid; a lock whose pid no
 * longer runs (a killed worker) is taken over. The data cache is per host, so a pid check is meaningful.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { TransientNetworkError } from '../../errors/pipeline-errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock for `partial` or throw a TransientNetworkError (retry later: the other download will finish). */
export function lockPartial(partial: string, what: string): () => void {
  const lock = `${partial}.lock`;
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new TransientNetworkError(`${what}: already being downloaded by process ${owner} (${lock})`);
      }
      rmSync(lock, { force: true }); // stale: its owner is gone
    }
  }
  throw new TransientNetworkError(`${what}: could not take ${lock}`);
}
