import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';

const params = z
  .object({
    /** Data manifest (data-manifests/*.yaml); a relative path is relative to the pipeline YAML's folder. */
    manifest: z.string().min(1),
    /** Figshare API base URL (default: env PAM_FIGSHARE_API, else https://api.figshare.com/v2). */
    apiBaseUrl: z.string().url().optional(),
    /** Hosts the download endpoint may redirect to (default: figshare's S3 and ndownloader hosts). */
    allowedHosts: z.array(z.string().min(1)).min(1).optional(),
    /** Request rate; Figshare asks for at most 1 per second (a local mirror or test server may take more). */
    requestsPerSecond: z.number().positive().max(1000).default(1),
  })
  .strict();

export type DownloadParams = z.infer<typeof params>;

export const spec: StageSpec<typeof params> = {
  kind: 'download',
  description: 'Fetch the files a data manifest names from Figshare into the shared md5-addressed data cache (resumable)',
  codeVersion: '2',
  inputs: [],
  dataCache: 'writes',
  params,
  // The manifest's content is in the key: editing it (another file, a pinned md5) recomputes the download.
  externalInputs: () => [{ label: 'data manifest', param: ['manifest'], kind: 'file' }],
  async describePlan(p) {
    const { planDownload } = await import('./plan-download.js');
    const { configuredStoreLocation } = await import('../../store/store-location.js');
    const { openStoreView } = await import('../../store/store-view.js');
    const plan = await planDownload(p.manifest, { cacheRoot: openStoreView(configuredStoreLocation()).dataCacheDir });
    return [
      `${plan.manifestPath}: ${plan.files.length} files, ${plan.toDownload} to download`,
      ...plan.files.map(
        (f) => `${f.state === 'cached' ? 'cached  ' : 'download'} ${f.role}: ${f.name ?? f.match}${f.size ? ` (${f.size} bytes)` : ''}`,
      ),
    ];
  },
  loadRunner: async () => (await import('./runner.js')).runner,
};
