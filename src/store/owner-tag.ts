/**
 * Who made a temporary file or folder (a staging folder, a file being replaced): host, pid and the process's start
 * time, written into its name, so a later sweep (leftovers.ts) can tell the leftovers of a dead attempt from work
 * in progress. The start time guards against pid reuse: Linux `/proc/<pid>/stat` field 22, the start in clock
 * ticks since boot (proc(5)); where /proc is absent it is `0` and only the pid's liveness is checked.
 *
 *   <prefix>~<host>~<pid>~<start>~<random>
 *
 * `~` occurs in no stage kind, key or sanitised host name, so a name parses from its end.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Owner {
  host: string;
  pid: number;
  /** Process start (clock ticks since boot), or `0` where unknown. */
  start: string;
}

const SEPARATOR = '~';

/** Host names as they may appear in a file name: RFC 1123 characters only. */
const safeHost = (host: string): string => host.replace(/[^A-Za-z0-9.-]/g, '-') || 'unknown-host';

/** The start of process `pid` in clock ticks since boot, or undefined when it cannot be read (gone, or no /proc). */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) may hold spaces and parentheses; the fields after its closing ')' start at field 3.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
  } catch {
    return undefined;
  }
}

export const thisHost = safeHost(os.hostname());

/** The owner a process of this host is recorded as. */
export function ownerOfProcess(pid: number): Owner {
  return { host: thisHost, pid, start: processStart(pid) ?? '0' };
}

export const thisOwner: Owner = ownerOfProcess(process.pid);

/** A fresh name for a temporary entry of this process: `<prefix>~<host>~<pid>~<start>~<random>`. */
export function ownedName(prefix: string): string {
  return [prefix, thisOwner.host, thisOwner.pid, thisOwner.start, randomBytes(4).toString('hex')].join(SEPARATOR);
}

/** Ends the prefix of a temporary file's owned name (`<file>.tmp~<owner>~<random>`, file-io.ts `replaceFileDurably`). */
export const TEMPORARY_MARK = '.tmp';

/** The prefix and owner of a name made by `ownedName`, or null for any other name. */
export function parseOwnedName(name: string): { prefix: string; owner: Owner } | null {
  const parts = name.split(SEPARATOR);
  if (parts.length < 5) return null;
  const [host, pid, start, random] = parts.slice(-4) as [string, string, string, string];
  if (!/^\d+$/.test(pid) || !/^\d+$/.test(start) || !/^[0-9a-f]+$/.test(random) || host === '') return null;
  return { prefix: parts.slice(0, -4).join(SEPARATOR), owner: { host, pid: Number(pid), start } };
}

/**
 * `self`: this process; `alive`: another live process of this host; `gone`: a process of this host that has
 * exited (or whose pid now belongs to a later process); `foreign`: another host's, whose liveness cannot be seen.
 */
export function ownerState(owner: Owner): 'self' | 'alive' | 'gone' | 'foreign' {
  if (owner.host !== thisOwner.host) return 'foreign';
  if (owner.pid === thisOwner.pid && owner.start === thisOwner.start) return 'self';
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user; ESRCH: no such process.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  const start = processStart(owner.pid);
  return owner.start !== '0' && start !== undefined && start !== owner.start ? 'gone' : 'alive';
}
