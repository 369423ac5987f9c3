'use client';
// Where to capture: node, namespace and interface (from the lab's map, or preset by "Capture here"), an optional BPF
// filter, start/stop and the pcapng download.
import { useState } from 'react';
import type { CaptureView, LabMap } from '../../../lab-runner/wire/network.ts';
import type { CaptureTarget } from '../map/capture-target-store.ts';
import type { CaptureStart } from '../map/network-client.ts';
import { captureDownloadUrl } from '../map/network-client.ts';
import styles from './capture.module.css';

export interface CaptureFormProps {
  labId: string;
  map?: LabMap;
  preset?: CaptureTarget;
  capture?: CaptureView;
  busy: boolean;
  onStart(req: CaptureStart): void;
  onStop(): void;
}

export function CaptureForm({ labId, map, preset, capture, busy, onStart, onStop }: CaptureFormProps) {
  const [chosenTarget, setTarget] = useState('');
  const [ns, setNs] = useState('');
  const [chosenIface, setIface] = useState('');
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState<number | undefined>();
  if (preset && preset.seq !== applied) {
    setApplied(preset.seq);
    setTarget(preset.target);
    setNs(preset.ns);
    setIface(preset.iface);
  }
  const nodes = map?.nodes.map((n) => n.name) ?? [];
  // Until the learner chooses: the first node, and its eth0.
  const target = chosenTarget || nodes[0] || '';
  const namespaces = map?.namespaces.filter((n) => n.node === target).map((n) => n.name) ?? [];
  const ifaces = map?.interfaces.filter((i) => i.node === target && i.ns === ns).map((i) => i.name) ?? [];
  const iface = chosenIface || (ifaces.includes('eth0') ? 'eth0' : '');
  const running = capture?.state === 'running' || capture?.state === 'starting';
  return (
    <form
      className={styles.form}
      aria-label="Capture"
      onSubmit={(e) => {
        e.preventDefault();
        if (running) onStop();
        else onStart({ target, ns, iface, ...(filter.trim() ? { filter: filter.trim() } : {}) });
      }}
    >
      <label>
        node
        <select value={target} onChange={(e) => (setTarget(e.target.value), setNs(''), setIface(''))} disabled={running}>
          {nodes.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <label>
        netns
        <select value={ns} onChange={(e) => (setNs(e.target.value), setIface(''))} disabled={running}>
          {namespaces.map((n) => (
            <option key={n} value={n}>
              {n || '(node)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        interface
        <select value={iface} onChange={(e) => setIface(e.target.value)} disabled={running} aria-label="interface">
          <option value="" disabled>
            choose
          </option>
          {ifaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <label className={styles.filter}>
        filter
        <input
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="BPF, e.g. icmp or udp port 4789"
          disabled={running}
          aria-label="capture filter"
        />
      </label>
      <button type="submit" className={styles.primary} disabled={busy || !target || !iface}>
        {running ? 'Stop' : 'Start capture'}
      </button>
      {capture ? (
        <a className={styles.download} href={captureDownloadUrl(labId, capture.id)} download data-testid="capture-download">
          Download pcapng
        </a>
      ) : null}
    </form>
  );
}
