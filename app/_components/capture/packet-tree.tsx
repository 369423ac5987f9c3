'use client';
// A packet's layers as tshark decoded them (-T json): one collapsible section per layer, fields as "name: value",
// subtrees nested. Nothing here knows a protocol.
import type { PacketDetail } from '../../../lab-runner/wire/network.ts';
import styles from './capture.module.css';

function Field({ name, value, depth }: { name: string; value: unknown; depth: number }) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return (
      <details open={depth < 1}>
        <summary>{name}</summary>
        <div className={styles.treeChildren}>
          {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
            <Field key={k} name={k} value={v} depth={depth + 1} />
          ))}
        </div>
      </details>
    );
  }
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return (
    <div className={styles.treeLeaf}>
      <span className={styles.treeKey}>{name}</span>: {text}
    </div>
  );
}

export function PacketTree({ packet }: { packet: PacketDetail }) {
  return (
    <div className={styles.tree} data-testid="packet-tree" aria-label={`Packet ${packet.no} layers`}>
      {Object.entries(packet.layers).map(([layer, fields]) => (
        <details key={layer} open={layer !== 'frame'} data-layer={layer}>
          <summary className={styles.layer}>{layer}</summary>
          <div className={styles.treeChildren}>
            {fields && typeof fields === 'object'
              ? Object.entries(fields as Record<string, unknown>).map(([k, v]) => <Field key={k} name={k} value={v} depth={1} />)
              : String(fields)}
          </div>
        </details>
      ))}
    </div>
  );
}
