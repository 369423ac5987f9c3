'use client';
// The live packet list: time, source, destination, protocol, length, summary (tshark's columns). Follows the newest
// packet unless the learner scrolled up; shows the newest 500 rows.
import { memo, useEffect, useRef } from 'react';
import type { PacketRow } from '../../../lab-runner/wire/network.ts';
import styles from './capture.module.css';

/** Rows drawn (of the rows the page keeps). */
export const SHOWN = 500;

export function PacketList({ rows, selected, onSelect }: { rows: PacketRow[]; selected?: number; onSelect(no: number): void }) {
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [rows]);
  const shown = rows.slice(-SHOWN);
  return (
    <div
      ref={box}
      className={styles.list}
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
      }}
    >
      <table className={styles.table} data-testid="packet-list">
        <thead>
          <tr>
            <th>No.</th>
            <th>Time</th>
            <th>Source</th>
            <th>Destination</th>
            <th>Protocol</th>
            <th>Len</th>
            <th>Info</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <PacketRowView key={r.no} row={r} selected={r.no === selected} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One row; memoised, so a new batch renders only its own rows (rows are immutable once received). */
const PacketRowView = memo(function PacketRowView({ row: r, selected, onSelect }: { row: PacketRow; selected: boolean; onSelect(no: number): void }) {
  return (
    <tr data-selected={selected || undefined} onClick={() => onSelect(r.no)} data-testid="packet-row" data-protocol={r.protocol}>
      <td>{r.no}</td>
      <td>{r.time.toFixed(6)}</td>
      <td title={r.src}>{r.src}</td>
      <td title={r.dst}>{r.dst}</td>
      <td>{r.protocol}</td>
      <td>{r.length}</td>
      <td title={r.info}>{r.info}</td>
    </tr>
  );
});
