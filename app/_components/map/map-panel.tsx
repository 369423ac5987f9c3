'use client';
// The Map tab's content: toolbar (routes, loopback, refresh, when read), the canvas and the details of what is
// selected. Loaded with next/dynamic from map-tab.tsx, so React Flow and ELK ship only when the tab is opened.
import { useMemo, useState } from 'react';
import { useLabActions, useLabState } from '../lab/lab-session.tsx';
import { labOf } from '../lab/lab-session-state.ts';
import { CAPTURE_TAB_ID, requestCapture } from './capture-target-store.ts';
import { IfaceDetails, RoutesDetails, ServiceDetails } from './iface-details.tsx';
import MapCanvas from './map-canvas.tsx';
import { toGraph } from './map-graph.ts';
import { useLabMap } from './use-lab-map.ts';
import styles from './map.module.css';

export default function MapPanel({ visible }: { visible: boolean }) {
  const status = useLabState()?.state.status;
  const actions = useLabActions();
  const lab = status ? labOf(status) : null;
  const ready = lab?.state === 'ready';
  const [routes, setRoutes] = useState(false);
  const [showLoopback, setShowLoopback] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();
  const { map, error, loading, refresh } = useLabMap(ready ? lab.id : undefined, visible, routes);
  const graph = useMemo(() => (map ? toGraph(map, { showLoopback }) : undefined), [map, showLoopback]);
  if (!lab) return <p className={styles.muted}>Start the lab to see its network.</p>;
  if (lab.state === 'paused') return <p className={styles.muted}>The lab is paused: type in a terminal to wake it, and the map follows.</p>;
  const iface = map?.interfaces.find((i) => i.id === selected);
  const ns = map?.namespaces.find((n) => n.id === selected) ?? (iface ? map?.namespaces.find((n) => n.node === iface.node && n.name === iface.ns) : undefined);
  const service = map?.services.find((s) => `svc:${s.id}` === selected);
  return (
    <div className={styles.panel} data-testid="map-panel">
      <div className={styles.toolbar}>
        <label>
          <input type="checkbox" checked={routes} onChange={(e) => setRoutes(e.target.checked)} /> routes
        </label>
        <label>
          <input type="checkbox" checked={showLoopback} onChange={(e) => setShowLoopback(e.target.checked)} /> lo
        </label>
        <button type="button" onClick={refresh} disabled={loading}>
          Refresh
        </button>
        <span className={styles.muted} aria-live="polite">
          {loading ? 'reading…' : map ? `read ${new Date(map.readAt).toLocaleTimeString()}` : ''}
        </span>
        <span className={styles.legend} aria-hidden="true">
          <i data-kind="veth" /> veth <i data-kind="bridge-port" /> bridge port <i data-kind="tunnel" /> tunnel <i data-kind="service" /> DNAT
        </span>
      </div>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      {graph ? <MapCanvas graph={graph} selected={selected} onSelect={setSelected} /> : <p className={styles.muted}>Reading the lab…</p>}
      {iface ? (
        <IfaceDetails
          labId={lab.id}
          iface={iface}
          onChanged={refresh}
          onCapture={() => {
            requestCapture({ target: iface.node, ns: iface.ns, iface: iface.name });
            actions?.setActiveTab(CAPTURE_TAB_ID);
          }}
        />
      ) : null}
      {routes && ns ? <RoutesDetails ns={ns} /> : null}
      {service ? <ServiceDetails service={service} /> : null}
    </div>
  );
}
