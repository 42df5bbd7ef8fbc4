/**
 * Section 1: what the experiment is (name, description, config hash, dataset), when and where its artifacts were
 * computed (the manifests' timings and producers), each stage's code version, and the resolved config as YAML.
 */
import { stringify } from 'yaml';
import { html, type Html } from '../html.js';
import type { ReportData } from '../report-model.js';

export function overviewSection(data: ReportData): Html {
  const committed = data.stages.flatMap((s) => (s.manifest ? [{ id: s.row.id, manifest: s.manifest }] : []));
  const starts = committed.map((c) => c.manifest.timings.startedAt).sort();
  const finishes = committed.map((c) => c.manifest.timings.finishedAt).sort();
  const hosts = new Map<string, string[]>();
  for (const c of committed) hosts.set(c.manifest.producer.host, [...(hosts.get(c.manifest.producer.host) ?? []), c.id]);
  const when = starts.length
    ? `${starts[0]} → ${finishes[finishes.length - 1]} (UTC; the artifacts' computation, cache hits included)`
    : 'no artifact committed yet';
  const where = [...hosts].map(([host, ids]) => `${host} (${ids.join(', ')})`).join('; ') || '–';
  const backends = committed.filter((c) => c.manifest.producer.backend).map((c) => `${c.id}: ${c.manifest.producer.backend}`);
  const versions = data.stages.map((s) => `${s.row.id}: ${s.row.uses} v${s.manifest?.keyParts.codeVersion ?? '?'}`);
  return html`<h1>Experiment ${data.experiment}</h1>
<p class="lead">${data.description || html`<span class="muted">(no description)</span>`}</p>
<nav><a href="#stages">Stages</a><a href="#tables">Tables</a><a href="#figures">Figures</a><a href="#lineage">Lineage</a><a href="#logs">Logs</a></nav>
<dl class="facts">
<dt>config hash</dt><dd class="mono">${data.configHash}</dd>
<dt>dataset</dt><dd>${data.dataset || '–'}</dd>
<dt>seed</dt><dd>${data.config.seed}</dd>
<dt>when</dt><dd>${when}</dd>
<dt>where (worker hosts)</dt><dd>${where}</dd>
<dt>tensor backend</dt><dd>${backends.join('; ') || '–'}</dd>
<dt>stage code versions</dt><dd>${versions.join('; ')}</dd>
</dl>
<details id="config"><summary>Resolved config (YAML, every default filled in; its hash is the config hash)</summary><pre>${stringify(data.config)}</pre></details>`;
}
