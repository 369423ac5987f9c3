'use client';
// What the map knows of the selected interface, "Capture here", and its impairment.
import type { MapInterface, MapNamespace, MapService } from '../../../lab-runner/wire/network.ts';
import { ImpairmentForm } from './impairment-form.tsx';
import styles from './map.module.css';

export function IfaceDetails({ labId, iface, onCapture, onChanged }: { labId: string; iface: MapInterface; onCapture(): void; onChanged(): void }) {
  const rows: [string, string | undefined][] = [
    ['where', `${iface.node}${iface.ns ? `, netns ${iface.ns}` : ' (the node itself)'}`],
    ['kind', iface.kind],
    ['state', iface.state],
    ['mtu', iface.mtu?.toString()],
    ['mac', iface.mac],
    ['addresses', iface.addresses.join(', ') || 'none'],
    ['bridge', iface.bridge?.split('/').pop()],
    [
      'tunnel',
      iface.tunnel
        ? [
            iface.tunnel.kind,
            iface.tunnel.vni !== undefined ? `VNI ${iface.tunnel.vni}` : '',
            iface.tunnel.remote ? `remote ${iface.tunnel.remote}` : '',
            iface.tunnel.port ? `port ${iface.tunnel.port}` : '',
            iface.tunnel.device ? `dev ${iface.tunnel.device}` : '',
          ]
            .filter(Boolean)
            .join(' ')
        : undefined,
    ],
    ['vlans', iface.vlans?.join('; ')],
    ['impairment', iface.impairment?.summary],
  ];
  return (
    <section className={styles.details} aria-label={`Interface ${iface.name}`} data-testid="iface-details">
      <h3 className={styles.detailsTitle}>
        {iface.name}
        <button type="button" className={styles.primary} onClick={onCapture}>
          Capture here
        </button>
      </h3>
      <dl className={styles.dl}>
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {iface.kind !== 'loopback' ? <ImpairmentForm labId={labId} iface={iface} onChanged={onChanged} /> : null}
    </section>
  );
}

export function RoutesDetails({ ns }: { ns: MapNamespace }) {
  return (
    <section className={styles.details} aria-label={`Routes of ${ns.name || ns.node}`} data-testid="routes-details">
      <h3 className={styles.detailsTitle}>Routes in {ns.name ? `netns ${ns.name}` : ns.node}</h3>
      {ns.routes ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>destination</th>
              <th>via</th>
              <th>dev</th>
              <th>proto</th>
            </tr>
          </thead>
          <tbody>
            {ns.routes.map((r, n) => (
              <tr key={n}>
                <td>{r.dst}</td>
                <td>{r.via ?? ''}</td>
                <td>{r.dev ?? ''}</td>
                <td>{r.protocol ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className={styles.muted}>Turn on “routes” above to read them.</p>
      )}
    </section>
  );
}

export function ServiceDetails({ service }: { service: MapService }) {
  return (
    <section className={styles.details} aria-label={`Service ${service.vip}`} data-testid="service-details">
      <h3 className={styles.detailsTitle}>
        {service.name ?? 'Service'} · {service.vip}
        {service.port ? `:${service.port}` : ''}
      </h3>
      <p className={styles.muted}>
        {service.source === 'kubernetes'
          ? 'From the Service and its EndpointSlices.'
          : `DNAT rules (${service.source}) on ${service.node} rewrite this address to:`}
      </p>
      <ul>
        {service.endpoints.map((e) => (
          <li key={`${e.address}:${e.port ?? ''}`}>
            {e.address}
            {e.port ? `:${e.port}` : ''} {e.pod ? `(${e.pod})` : ''} {e.ready === false ? '— not ready' : ''}
          </li>
        ))}
        {service.endpoints.length === 0 ? <li>no endpoints</li> : null}
      </ul>
    </section>
  );
}
