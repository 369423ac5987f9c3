'use client';
// The map's box renderers for React Flow: lab node and namespace groups, interfaces, Services, the lab network.
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { Box } from './map-graph.ts';
import styles from './map.module.css';

export type BoxData = { box: Box; selected: boolean };

const hidden = { opacity: 0, width: 1, height: 1, minWidth: 0, minHeight: 0, border: 0 };
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
