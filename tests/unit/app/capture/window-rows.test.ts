// Which rows of the packet list are in the DOM: those in view and a margin, the newest when following.
import { describe, expect, it } from 'vitest';
import { ROW_PX, windowRows } from '../../../../app/_components/capture/packet-list.tsx';

describe('windowRows', () => {
  it('following: the newest rows, enough to fill the view', () => {
    const { first, last } = windowRows(500, 0, 20 * ROW_PX, true);
    expect(last).toBe(500);
    expect(last - first).toBeGreaterThanOrEqual(20);
    expect(last - first).toBeLessThan(100);
  });

  it('scrolled back: the rows around the scroll position', () => {
    const { first, last } = windowRows(500, 200 * ROW_PX, 20 * ROW_PX, false);
    expect(first).toBeLessThanOrEqual(200);
    expect(last).toBeGreaterThanOrEqual(220);
    expect(last - first).toBeLessThan(100);
  });

  it('a short list is drawn whole', () => {
    expect(windowRows(6, 0, 20 * ROW_PX, true)).toEqual({ first: 0, last: 6 });
    expect(windowRows(0, 0, 20 * ROW_PX, true)).toEqual({ first: 0, last: 0 });
  });
});
