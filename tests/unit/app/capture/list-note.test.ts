// The packet list's note says how much of the capture it shows, so a sample is never taken for everything.
import { describe, expect, it } from 'vitest';
import { listNote } from '../../../../app/_components/capture/list-note.ts';

describe('packet list note', () => {
  it('says when nothing was decoded yet', () => {
    expect(listNote({ shown: 0, decoded: 0, skipped: 0 })).toBe('No packets yet.');
  });

  it('says all when every decoded packet is listed', () => {
    expect(listNote({ shown: 3, decoded: 3, skipped: 0 })).toMatch(/^Showing all 3 packets tshark decoded\./);
  });

  it('says "newest N of M" and the rate limit when the list is a sample', () => {
    const note = listNote({ shown: 500, decoded: 7000, skipped: 5975 });
    expect(note).toMatch(/^Showing the newest 500 of 7000 packets tshark decoded \(5975 were not sent to this page/);
    expect(note).toMatch(/sample.*pcapng download/);
  });
});
