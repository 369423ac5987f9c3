'use client';
// Draws a laid-out map graph with React Flow: pan and zoom, click an interface or a namespace to select it. Layout
// runs only when the graph's structure changes (map-layout.ts); between changes the boxes keep their places.
import { Background, Controls, MarkerType, ReactFlow } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { MapGraph } from './map-graph.ts';
import { structureKey } from './map-graph.ts';
import { layoutGraph } from './map-layout.ts';
import type { Placed } from './map-layout.ts';
import { boxHandles, nodeTypes } from './map-nodes.tsx';
import type { BoxData } from './map-nodes.tsx';
import styles from './map.module.css';

export interface MapCanvasProps {
  graph: MapGraph;
  selected?: string;
  onSelect(id: string | undefined): void;
}

const EDGE_STYLE: Record<string, { stroke: string; strokeDasharray?: string; strokeWidth?: number }> = {
  veth: { stroke: 'var(--d-link, #5c6b80)', strokeWidth: 2 },
  'bridge-port': { stroke: 'var(--d-link, #5c6b80)', strokeDasharray: '2 3' },
  tunnel: { stroke: 'var(--tip, #6d3fc0)', strokeDasharray: '8 4', strokeWidth: 2 },
  lan: { stroke: 'var(--text-faint, #5f6773)' },
  service: { stroke: 'var(--warn, #8a5a00)', strokeWidth: 1.5 },
};

export default function MapCanvas({ graph, selected, onSelect }: MapCanvasProps) {
  const key = structureKey(graph);
  const [layout, setLayout] = useState<{ key: string; placed: Map<string, Placed> } | undefined>();
  useEffect(() => {
    let cancelled = false;
    void layoutGraph(graph).then((placed) => {
      if (!cancelled) setLayout({ key, placed });
    });
    return () => {
      cancelled = true;
    };
    // Only the structure matters: a new address or state reuses the positions.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const nodes: Node<BoxData>[] = useMemo(() => {
    if (!layout) return [];
    return graph.boxes.flatMap((b) => {
      const p = layout.placed.get(b.id);
      if (!p) return [];
      const group = b.kind === 'node' || b.kind === 'netns';
      return [
        {
          id: b.id,
          type: group ? 'container' : b.kind,
          position: { x: p.x, y: p.y },
          ...(b.parent && layout.placed.has(b.parent) ? { parentId: b.parent, extent: 'parent' as const } : {}),
          data: { box: b, selected: b.id === selected || (b.ns ? b.ns.id === selected : false) },
          // The layout knows every box's size: given as width/height (not only as style), React Flow draws a box at once
          // instead of hiding it until a ResizeObserver has measured it. Measuring is what a map refresh with a new
          // structure waited on; on a loaded machine the whole canvas was seen to stay blank after one (CI, e2e).
          width: p.width,
          height: p.height,
          handles: boxHandles(p.width, p.height),
          draggable: false,
          selectable: b.kind === 'iface' || b.kind === 'netns' || b.kind === 'service',
          zIndex: group ? 0 : 2,
        },
      ];
    });
  }, [graph, layout, selected]);

  const edges: Edge[] = useMemo(
    () =>
      graph.lines.map((l) => ({
        id: l.id,
        source: l.source,
        target: l.target,
        ...(l.label ? { label: l.label } : {}),
        style: EDGE_STYLE[l.kind],
        animated: l.kind === 'tunnel',
        zIndex: 1,
        ...(l.kind === 'service' ? { markerEnd: { type: MarkerType.ArrowClosed, color: '#8a5a00' } } : {}),
        data: { kind: l.kind },
        className: styles[`edge-${l.kind}`],
      })),
    [graph],
  );

  return (
    <div className={styles.canvas} data-testid="map-canvas" data-layout-key={layout?.key === key ? 'current' : 'stale'}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        minZoom={0.2}
        maxZoom={2}
        nodesConnectable={false}
        nodesDraggable={false}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, n) => {
          const b = (n.data as BoxData).box;
          onSelect(b.kind === 'iface' || b.kind === 'service' ? b.id : b.kind === 'netns' ? b.ns!.id : undefined);
        }}
        onPaneClick={() => onSelect(undefined)}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
