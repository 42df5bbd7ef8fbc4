/**
 * The lineage graph as a small hand-laid-out SVG (Vega-Lite has no graph layout): one box per stage with its
 * artifact's short key, layered by depth (a stage sits one column right of its deepest input), input edges drawn
 * from the input's box to the consumer's and labelled with the role.
 */
import { html, type Html } from '../html.js';

export interface LineageNode {
  id: string;
  kind: string;
  /** The committed artifact's key; absent while the stage has none. */
  key?: string;
  /** Role → the stage id whose artifact it reads. */
  inputs: { role: string; from: string }[];
}

const BOX_HEIGHT = 46;
/** Wide enough for the longest `id kind` line at about 7 px per character. */
const boxWidth = (nodes: readonly LineageNode[]): number => Math.max(180, ...nodes.map((n) => 7 * (n.id.length + n.kind.length + 1) + 20));
const GAP = { x: 70, y: 22 };
const MARGIN = 12;
/** Height above the boxes for the arcs of edges that skip a column. */
const ARC_ROOM = 28;
/** Characters of a key shown, as in `pam status`. */
const SHORT_KEY = 12;

/** Column of each node: 0 without inputs, else one past its deepest input (inputs unknown to the graph count 0). */
export function depths(nodes: readonly LineageNode[]): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visit = (id: string, path: ReadonlySet<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node || path.has(id)) return -1;
    const within = new Set(path).add(id);
    const d = 1 + Math.max(-1, ...node.inputs.map((i) => visit(i.from, within)));
    depth.set(id, d);
    return d;
  };
  for (const n of nodes) visit(n.id, new Set());
  return depth;
}

export function lineageSvg(nodes: readonly LineageNode[]): Html {
  const box = { width: boxWidth(nodes), height: BOX_HEIGHT };
  const depth = depths(nodes);
  const columns: LineageNode[][] = [];
  for (const n of nodes) {
    const d = depth.get(n.id)!;
    columns[d] = [...(columns[d] ?? []), n];
  }
  // Edges that skip a column arc over the boxes between, so room is kept above the first row for them.
  const skips = nodes.some((n) => n.inputs.some((i) => (depth.get(n.id) ?? 0) - (depth.get(i.from) ?? 0) > 1));
  const top = MARGIN + (skips ? ARC_ROOM : 0);
  const place = new Map<string, { x: number; y: number }>();
  columns.forEach((column, c) => {
    column.forEach((n, r) => {
      place.set(n.id, { x: MARGIN + c * (box.width + GAP.x), y: top + r * (box.height + GAP.y) });
    });
  });
  const rows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const width = 2 * MARGIN + columns.length * box.width + Math.max(0, columns.length - 1) * GAP.x;
  const height = top + MARGIN + rows * box.height + (rows - 1) * GAP.y;
  const edges = nodes.flatMap((n) =>
    n.inputs.flatMap(({ role, from }, i) => {
      const a = place.get(from);
      const b = place.get(n.id)!;
      if (!a) return [];
      // A consumer's inputs enter at heights spread over its left side, so their role labels do not overlap.
      const [x1, y1, x2, y2] = [a.x + box.width, a.y + box.height / 2, b.x, b.y + (box.height * (i + 1)) / (n.inputs.length + 1)];
      const bend = Math.min(GAP.x, (x2 - x1) / 2);
      const skipping = x2 - x1 > GAP.x + 1;
      const [c1y, c2y] = skipping ? [top - ARC_ROOM, top - ARC_ROOM] : [y1, y2];
      return [
        html`<g class="edge"><path d="M${x1},${y1} C${x1 + bend},${c1y} ${x2 - bend},${c2y} ${x2 - 4},${y2}" fill="none" stroke="#888" stroke-width="1.2" marker-end="url(#lineage-arrow)"/><text x="${x2 - 8}" y="${y2 - 3}" text-anchor="end" font-size="10" fill="#555">${role}</text></g>`,
      ];
    }),
  );
  const boxes = nodes.map((n) => {
    const { x, y } = place.get(n.id)!;
    const committed = n.key !== undefined;
    return html`<g class="node"><title>${n.id} (${n.kind})${committed ? ` → ${n.key}` : ': no artifact'}</title><rect x="${x}" y="${y}" width="${box.width}" height="${box.height}" rx="5" fill="${committed ? '#eef3fa' : '#fff'}" stroke="${committed ? '#4c78a8' : '#999'}" ${committed ? '' : html`stroke-dasharray="4 3"`}/><text x="${x + 10}" y="${y + 19}" font-size="12" font-weight="bold">${n.id} <tspan font-weight="normal" fill="#555">${n.kind}</tspan></text><text x="${x + 10}" y="${y + 36}" font-size="11" font-family="monospace" fill="#333">${committed ? n.key!.slice(0, SHORT_KEY) : 'no artifact'}</text></g>`;
  });
  return html`<svg class="lineage" role="img" aria-label="lineage graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><marker id="lineage-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#888"/></marker></defs>${edges}${boxes}</svg>`;
}
