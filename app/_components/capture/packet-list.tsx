'use client';
// The live packet list: time, source, destination, protocol, length, summary (tshark's columns). Follows the newest
// packet unless the learner scrolled up; holds the newest 500 rows, but only the rows in view (and a margin) are in
// the DOM: rows have one fixed height, so spacer rows stand for the rest. A live capture adds rows several times a
// second, and a 500-row table re-laid out on each batch kept the main thread busy for tens of milliseconds.
import { memo, useEffect, useRef, useState } from 'react';
import type { PacketRow } from '../../../lab-runner/wire/network.ts';
import styles from './capture.module.css';

/** Rows in the list (of the rows the page keeps). */
export const SHOWN = 500;
/** Row height in px: the CSS gives every body row exactly this. */
export const ROW_PX = 18;
const MARGIN_ROWS = 15;

/** The slice of `total` rows to put in the DOM for a viewport of `height` px scrolled to `top` (or at the bottom). */
export function windowRows(total: number, top: number, height: number, atBottom: boolean): { first: number; last: number } {
  const inView = Math.ceil(height / ROW_PX) + 1;
  const first = atBottom ? total - inView - MARGIN_ROWS : Math.floor(top / ROW_PX) - MARGIN_ROWS;
  const from = Math.max(0, Math.min(first, total - 1));
  return { first: from, last: Math.min(total, from + inView + 2 * MARGIN_ROWS) };
}

export function PacketList({ rows, selected, onSelect }: { rows: PacketRow[]; selected?: number; onSelect(no: number): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800, follow: true });
  useEffect(() => {
    const el = box.current;
    if (el && view.follow) el.scrollTop = el.scrollHeight;
  }, [rows, view.follow]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => el.clientHeight > 0 && setView((v) => (v.height === el.clientHeight ? v : { ...v, height: el.clientHeight })));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const shown = rows.slice(-SHOWN);
  const { first, last } = windowRows(shown.length, view.top, view.height, view.follow);
  return (
    <div
      ref={box}
      className={styles.list}
      onScroll={(e) => {
        const el = e.currentTarget;
        const follow = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
        setView((v) => (v.follow === follow && Math.abs(v.top - el.scrollTop) < ROW_PX * 5 ? v : { ...v, top: el.scrollTop, follow }));
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
          {first > 0 ? <Spacer rows={first} /> : null}
          {shown.slice(first, last).map((r) => (
            <PacketRowView key={r.no} row={r} selected={r.no === selected} onSelect={onSelect} />
          ))}
          {last < shown.length ? <Spacer rows={shown.length - last} /> : null}
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

/** Stands for `rows` rows that are not in the DOM. */
function Spacer({ rows }: { rows: number }) {
  return (
    <tr aria-hidden="true" className={styles.spacer}>
      <td colSpan={7} style={{ height: rows * ROW_PX, padding: 0 }} />
    </tr>
  );
}
