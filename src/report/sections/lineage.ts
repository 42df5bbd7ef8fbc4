/** Section 5: the lineage graph (stages → their artifacts' short keys, input edges from the manifests). */
import { html, type Html } from '../html.js';
import { lineageSvg, type LineageNode } from '../charts/lineage-graph.js';
import type { ReportData } from '../report-model.js';

/** Edges from each manifest's inputs (by key); a stage without an artifact shows its configured inputs. */
export function lineageNodes(data: ReportData): LineageNode[] {
  const idOfKey = new Map(data.stages.flatMap((s) => (s.manifest ? [[s.manifest.key, s.row.id] as const] : [])));
  return data.stages.map(({ row, manifest }) => {
    const configured = data.config.stages.find((s) => s.id === row.id)?.inputs ?? {};
    const inputs = manifest
      ? Object.entries(manifest.inputs).map(([role, ref]) => ({
          role,
          from: idOfKey.get(ref.key) ?? `${ref.stage} ${ref.key.slice(0, 8)}`,
        }))
      : Object.entries(configured).map(([role, from]) => ({ role, from }));
    return { id: row.id, kind: row.uses, ...(manifest ? { key: manifest.key } : {}), inputs };
  });
}

export function lineageSection(data: ReportData): Html {
  return html`<figure id="lineage-graph">${lineageSvg(lineageNodes(data))}<figcaption>Each stage’s artifact (first 12 hex digits of its key; dashed: no artifact yet) and the artifacts it was computed from, by input role. <code>pam lineage ${data.experiment}</code> lists every file with its sha256.</figcaption></figure>`;
}
