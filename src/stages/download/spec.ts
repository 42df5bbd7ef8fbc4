import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

const params = z
  .object({
    /** Data manifest, relative to the repository root. */
    manifest: z.string().min(1).default('data-manifests/b2g.yaml'),
    /** Figshare API base URL (default: env PAM_FIGSHARE_API, else https://api.figshare.com/v2). */
    apiBaseUrl: z.string().url().optional(),
    /** Hosts the download endpoint may redirect to (default: figshare's S3 and ndownloader hosts). */
    allowedHosts: z.array(z.string().min(1)).min(1).optional(),
    /** Request rate; Figshare asks for at most 1 per second. */
    requestsPerSecond: z.number().positive().default(1),
  })
  .strict();

export type DownloadParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'download',
  description: 'Fetch the files a data manifest names from Figshare into the shared md5-addressed data cache (resumable)',
  codeVersion: '1',
  inputs: [],
  params,
  async describePlan(p) {
    const { planDownload } = await import('./plan-download.js');
    const { stateDir } = await import('../../paths/project-paths.js');
    const path = await import('node:path');
    const plan = await planDownload(p.manifest, { cacheRoot: path.join(stateDir(), 'data-cache') });
    return [
      `${plan.manifestPath}: ${plan.files.length} files, ${plan.toDownload} to download`,
      ...plan.files.map(
        (f) => `${f.state === 'cached' ? 'cached  ' : 'download'} ${f.role}: ${f.name ?? f.match}${f.size ? ` (${f.size} bytes)` : ''}`,
      ),
    ];
  },
  loadRunner: async () => (await import('./runner.js')).runner,
};
