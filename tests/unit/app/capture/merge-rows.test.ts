// How the page merges the capture stream's row batches (now applied once per animation frame, several at a time).
import { describe, expect, it } from 'vitest';
import { MAX_ROWS_IN_PAGE, mergeRows } from '../../../../app/_components/capture/use-capture.ts';
import type { PacketRow } from '../../../../lab-runner/wire/network.ts';

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
