// Layout with ELK (layered, nested): lab nodes hold namespaces hold interfaces. Stable: the graph's order is fixed
// (ids sorted, ELK told to respect model order), so the same structure always gets the same positions, and a layout
// is only computed again when the structure changes (a new interface, a new cable), never for a new address or state.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { MapGraph } from './map-graph.ts';

export interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

const elk = new ELK();

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
  'elk.randomSeed': '1',
  'elk.spacing.nodeNode': '18',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.edgeNode': '12',
};
const GROUP_OPTIONS = { 'elk.padding': '[top=30,left=12,bottom=12,right=12]' };

export async function layoutGraph(g: MapGraph): Promise<Map<string, Placed>> {
  const nodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: 'root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const b of g.boxes) {
    const group = b.kind === 'node' || b.kind === 'netns';
    nodes.set(b.id, { id: b.id, ...(group ? { layoutOptions: GROUP_OPTIONS, children: [] } : { width: b.width, height: b.height }) });
  }
  for (const b of g.boxes) {
    const parent = b.parent ? nodes.get(b.parent) : undefined;
    (parent ? parent.children! : root.children!).push(nodes.get(b.id)!);
  }
  // An empty group still needs a size.
  for (const b of g.boxes) {
    const n = nodes.get(b.id)!;
    if (n.children && n.children.length === 0) {
      n.width = 160;
      n.height = 40;
    }
  }
  root.edges = g.lines
    .filter((l) => nodes.has(l.source) && nodes.has(l.target))
    .map((l): ElkExtendedEdge => ({ id: l.id, sources: [l.source], targets: [l.target] }));
  const out = await elk.layout(root);
  const placed = new Map<string, Placed>();
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      placed.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      walk(c);
    }
  };
  walk(out);
  return placed;
}
