/** `pam data list|verify <data-manifest.yaml> [--online]`: what a real dataset needs and what the cache holds. */
import { listManifest, verifyManifest } from '../../data/manifests/commands.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { parseArgs } from '../args.js';
import { cliStoreView } from '../session.js';
import { formatTable } from '../tables-report.js';

export async function dataCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['online']);
  const [action, manifest] = args.positionals;
  if (!manifest || args.positionals.length !== 2) throw new ConfigError('usage: pam data list|verify <data-manifest.yaml> [--online]');
  const cacheRoot = cliStoreView().dataCacheDir;
  if (action === 'list') {
    const rows = await listManifest(manifest, { cacheRoot, offline: !args.flags.has('online') });
    console.log(
      formatTable(
        ['role', 'loader', 'match', 'name', 'size', 'md5', 'state'],
        rows.map((r) => [r.role, r.loader, r.match, r.name ?? '', r.size === null ? '' : String(r.size), r.md5 ?? '', r.state]),
      ),
    );
    return 0;
  }
  if (action === 'verify') {
    const rows = await verifyManifest(manifest, { cacheRoot });
    console.log(
      formatTable(
        ['role', 'name', 'state', 'expected md5', 'actual md5', 'path'],
        rows.map((r) => [r.role, r.name ?? '', r.state, r.expectedMd5 ?? '', r.actualMd5 ?? '', r.cachePath ?? '']),
      ),
    );
    return rows.every((r) => r.state === 'ok') ? 0 : 1;
  }
  throw new ConfigError(`unknown data action "${action}" (use list or verify)`);
}
