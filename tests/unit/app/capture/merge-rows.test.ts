// How the page merges the capture stream (row batches and views, applied once per animation frame, several at a time).
import { describe, expect, it } from 'vitest';
import { MAX_ROWS_IN_PAGE, mergeRows, nextView } from '../../../../app/_components/capture/use-capture.ts';
import type { CaptureView, PacketRow } from '../../../../lab-runner/wire/network.ts';

const rows = (from: number, to: number): PacketRow[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ no: from + i, time: 0, src: 'a', dst: 'b', protocol: 'UDP', length: 106, info: '' }));

describe('mergeRows', () => {
  it('appends batches in order', () => {
    expect([rows(1, 3), rows(4, 5)].reduce(mergeRows, []).map((r) => r.no)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a replayed batch (reconnect) replaces the rows from its first number on, without duplicates', () => {
    expect([rows(1, 10), rows(8, 12)].reduce(mergeRows, []).map((r) => r.no)).toEqual(rows(1, 12).map((r) => r.no));
  });

  it('keeps only the newest MAX_ROWS_IN_PAGE rows', () => {
    const kept = [rows(1, MAX_ROWS_IN_PAGE), rows(MAX_ROWS_IN_PAGE + 1, MAX_ROWS_IN_PAGE + 250)].reduce(mergeRows, []);
    expect(kept).toHaveLength(MAX_ROWS_IN_PAGE);
    expect(kept[0]!.no).toBe(251);
  });
});

describe('nextView', () => {
  const view = (id: string, state: CaptureView['state']): CaptureView => ({
    id,
    target: 'node1',
    ns: '',
    iface: 'eth0',
    state,
    seen: 0,
    skipped: 0,
    startedAt: 0,
  });

  it('a late "running" view does not bring a stopped capture back', () => {
    expect(nextView(view('c1', 'stopped'), view('c1', 'running')).state).toBe('stopped');
  });

  it('follows every other change, and a new capture replaces an ended one', () => {
    expect(nextView(view('c1', 'starting'), view('c1', 'running')).state).toBe('running');
    expect(nextView(view('c1', 'running'), view('c1', 'failed')).state).toBe('failed');
    expect(nextView(view('c1', 'stopped'), view('c2', 'starting')).id).toBe('c2');
  });
});
