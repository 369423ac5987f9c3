'use client';
// The Capture tab's content: form, status line, live packet list, and the selected packet's layer tree.
import { useCallback, useEffect, useState } from 'react';
import type { LabMap, PacketDetail } from '../../../lab-runner/wire/network.ts';
import { useLabState } from '../lab/lab-session.tsx';
import { labOf } from '../lab/lab-session-state.ts';
import { useCaptureTarget } from '../map/capture-target-store.ts';
import { fetchMap, fetchPacket } from '../map/network-client.ts';
import { CaptureForm } from './capture-form.tsx';
import { listNote } from './list-note.ts';
import { PacketList, SHOWN } from './packet-list.tsx';
import { PacketTree } from './packet-tree.tsx';
import { useCapture } from './use-capture.ts';
import styles from './capture.module.css';

export default function CapturePanel({ visible }: { visible: boolean }) {
  const status = useLabState()?.state.status;
  const lab = status ? labOf(status) : null;
  const labId = lab?.state === 'ready' ? lab.id : undefined;
  const preset = useCaptureTarget();
  const cap = useCapture(labId, visible);
  const [map, setMap] = useState<LabMap | undefined>();
  const [selected, setSelected] = useState<number | undefined>();
  const [packet, setPacket] = useState<PacketDetail | undefined>();
  const [packetError, setPacketError] = useState<string | undefined>();

  // The interfaces to choose from: read when the tab shows.
  useEffect(() => {
    if (!labId || !visible) return;
    let live = true;
    fetchMap(labId, false).then(
      (m) => live && setMap(m),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [labId, visible, preset?.seq]);

  // Stable while the capture's counters change, so the list's memoised rows do not re-render for them.
  const captureId = cap.capture?.id;
  const select = useCallback(
    (no: number) => {
      setSelected(no);
      setPacket(undefined);
      setPacketError(undefined);
      if (!labId || !captureId) return;
      fetchPacket(labId, captureId, no).then(setPacket, (err: Error) => setPacketError(err.message));
    },
    [labId, captureId],
  );

  if (!lab) return <p className={styles.muted}>Start the lab to capture packets.</p>;
  if (!labId) return <p className={styles.muted}>The lab is {lab.state}; captures run while it is ready.</p>;
  const c = cap.capture;
  return (
    <div className={styles.panel} data-testid="capture-panel">
      <CaptureForm labId={labId} map={map} preset={preset} capture={c} busy={cap.busy} onStart={(r) => void cap.start(r)} onStop={() => void cap.stop()} />
      {cap.error ? (
        <p className={styles.error} role="alert">
          {cap.error}
        </p>
      ) : null}
      {c ? (
        <p className={styles.status} data-testid="capture-status" data-state={c.state} aria-live="polite">
          {c.state === 'starting' ? 'starting tshark…' : c.state}
          {` on ${c.target}${c.ns ? `/${c.ns}` : ''} ${c.iface}${c.filter ? ` (${c.filter})` : ''} · ${c.seen} packets decoded`}
          {c.skipped ? ` · ${c.skipped} not listed (rate limit)` : ''}
          {c.reason && c.state !== 'running' ? ` · ${c.reason}` : ''}
        </p>
      ) : null}
      {c ? (
        <p className={styles.muted} data-testid="packet-list-note">
          {listNote({ shown: Math.min(cap.rows.length, SHOWN), decoded: c.seen, skipped: c.skipped })}
        </p>
      ) : null}
      <PacketList rows={cap.rows} selected={selected} onSelect={select} />
      {packetError ? <p className={styles.error}>{packetError}</p> : null}
      {packet ? <PacketTree packet={packet} /> : selected ? <p className={styles.muted}>Decoding packet {selected}…</p> : null}
    </div>
  );
}
