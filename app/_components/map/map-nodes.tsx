'use client';
// The map's box renderers for React Flow: lab node and namespace groups, interfaces, Services, the lab network.
import { Handle, Position } from '@xyflow/react';
import type { NodeHandle, NodeProps } from '@xyflow/react';
import type { Box } from './map-graph.ts';
import styles from './map.module.css';

export type BoxData = { box: Box; selected: boolean };

const HANDLE_SIZE = 1;
const hidden = { opacity: 0, width: HANDLE_SIZE, height: HANDLE_SIZE, minWidth: 0, minHeight: 0, border: 0 };

/**
 * Where `Handles` below sit in a box of the given size (React Flow centres a Left/Right handle on that side's midpoint).
 * Given to React Flow with the box, an edge is drawn from the layout alone: React Flow otherwise waits until a
 * ResizeObserver has measured both ends' handles, and a map whose boxes were drawn but never measured had no cables
 * (CI, e2e: boxes present, `.react-flow__edge` absent for 10 s).
 */
export function boxHandles(width: number, height: number): NodeHandle[] {
  const half = HANDLE_SIZE / 2;
  const y = height / 2 - half;
  return [
    { type: 'target', position: Position.Left, x: -half, y, width: HANDLE_SIZE, height: HANDLE_SIZE },
    { type: 'source', position: Position.Right, x: width - half, y, width: HANDLE_SIZE, height: HANDLE_SIZE },
  ];
}

const Handles = () => (
  <>
    <Handle type="target" position={Position.Left} style={hidden} isConnectable={false} />
    <Handle type="source" position={Position.Right} style={hidden} isConnectable={false} />
  </>
);

export function GroupBox({ data }: NodeProps & { data: BoxData }) {
  const b = data.box;
  return (
    <div className={b.kind === 'node' ? styles.nodeBox : styles.nsBox} data-testid={`map-${b.kind}`} data-id={b.id} title={b.error}>
      <span className={styles.groupLabel}>{b.label}</span>
      {b.error ? <span className={styles.groupError}>not read: {b.error}</span> : null}
      <Handles />
    </div>
  );
}

export function IfaceBox({ data }: NodeProps & { data: BoxData }) {
  const i = data.box.iface!;
  const addr = i.addresses.find((a) => !a.startsWith('fe80')) ?? i.addresses[0];
  return (
    <div
      className={styles.ifaceBox}
      data-kind={i.kind}
      data-state={i.state}
      data-selected={data.selected || undefined}
      data-testid="map-iface"
      data-id={i.id}
      title={`${i.name} (${i.kind}, ${i.state})`}
    >
      <span className={styles.ifaceName}>
        <span className={styles.stateDot} aria-hidden="true" />
        {i.name}
        <span className={styles.ifaceKind}>{i.tunnel?.vni !== undefined ? `vxlan ${i.tunnel.vni}` : i.kind}</span>
      </span>
      <span className={styles.ifaceAddr}>{addr ?? (i.bridge ? `port of ${i.bridge.split('/').pop()}` : 'no address')}</span>
      {i.impairment ? (
        <span className={styles.impairment} data-testid="map-impairment">
          {i.impairment.summary}
        </span>
      ) : null}
      <Handles />
    </div>
  );
}

export function ServiceBox({ data }: NodeProps & { data: BoxData }) {
  const s = data.box.service!;
  return (
    <div
      className={styles.serviceBox}
      data-testid="map-service"
      title={`${s.source} DNAT: ${s.vip}${s.port ? `:${s.port}` : ''} → ${s.endpoints.map((e) => `${e.address}${e.port ? `:${e.port}` : ''}`).join(', ') || 'no endpoints'}`}
    >
      <span className={styles.ifaceName}>
        {s.name ?? 'Service'} <span className={styles.ifaceKind}>{s.protocol ?? ''}</span>
      </span>
      <span className={styles.ifaceAddr}>
        VIP {data.box.label} → {s.endpoints.length} endpoint{s.endpoints.length === 1 ? '' : 's'}
      </span>
      <Handles />
    </div>
  );
}

export function LanBox({ data }: NodeProps & { data: BoxData }) {
  return (
    <div className={styles.lanBox} data-testid="map-lan">
      {data.box.label}
      <Handles />
    </div>
  );
}

export const nodeTypes = { container: GroupBox, iface: IfaceBox, service: ServiceBox, lan: LanBox };
