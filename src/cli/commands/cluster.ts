/**
 * `pam cluster setup [--retention 8760h]`: prepare the configured namespace of a Temporal cluster (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE) for experiments: register the PAM search attributes, set the retention. Idempotent; the
 * embedded dev server does this itself at every start.
 */
import { ConfigError } from '../../errors/pipeline-errors.js';
import { DEFAULT_RETENTION, retentionMs, setUpNamespace } from '../../temporal/namespace-setup.js';
import { onePositional, parseArgs } from '../args.js';
import { openSession } from '../session.js';

export async function clusterCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['retention'], []);
  const action = onePositional(args, 'action (setup)');
  if (action !== 'setup') throw new ConfigError(`unknown cluster action "${action}"; use setup`);
  const retention = args.options.get('retention')?.at(-1) ?? DEFAULT_RETENTION;
  const keepMs = retentionMs(retention);
  const session = await openSession((line) => console.log(line), { startServer: false });
  try {
    const { namespace, address } = session.temporal;
    const added = await setUpNamespace(session.connection, namespace, keepMs);
    console.log(
      `namespace ${namespace} at ${address}: ${added.length > 0 ? `registered ${added.join(', ')}` : 'PAM search attributes already registered'}; retention ${retention}`,
    );
    return 0;
  } finally {
    await session.close();
  }
}
