import { describe, expect, it } from 'vitest';
import { OutputShare } from '../../../lab-runner/terminal/output-share.ts';

describe('OutputShare: a flooding terminal yields while another terminal types', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('never throttles a terminal that is alone, or whose own learner is the only one typing', () => {
    const c = clock();
    const share = new OutputShare({ floodRate: 1000, burst: 100, interactiveMs: 2000, now: c.now });
    const flood = share.meter('flood');
    expect(flood.spend(1_000_000)).toBe(0);
    share.typed('flood');
    expect(flood.spend(1_000_000)).toBe(0);
    expect(flood.throttles).toBe(0);
  });

  it('while a neighbour types: the burst passes, then the stream waits for the rate to pay back the excess', () => {
    const c = clock();
    const share = new OutputShare({ floodRate: 1000, burst: 100, interactiveMs: 2000, now: c.now });
    const flood = share.meter('flood');
    share.typed('neighbour');
    expect(flood.spend(100)).toBe(0);
    // 500 bytes over the (empty) bucket at 1000 B/s: half a second.
    expect(flood.spend(500)).toBe(500);
    c.advance(500);
    expect(flood.spend(0)).toBe(0);
    expect(flood.throttles).toBe(1);
  });

  it('stops throttling once the neighbour has been quiet for interactiveMs, and forgets ended sessions', () => {
    const c = clock();
    const share = new OutputShare({ floodRate: 1000, burst: 100, interactiveMs: 2000, now: c.now });
    const flood = share.meter('flood');
    share.typed('neighbour');
    expect(flood.spend(1100)).toBeGreaterThan(0);
    c.advance(2001);
    expect(share.othersInteractive('flood')).toBe(false);
    expect(flood.spend(1_000_000)).toBe(0);
    share.typed('neighbour');
    share.forget('neighbour');
    expect(share.othersInteractive('flood')).toBe(false);
  });
});
