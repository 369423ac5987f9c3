// The small bounds behind terminal fairness: Docker calls in flight never exceed their ceiling (and a finished call
// hands its slot to the oldest waiter), and token buckets allow a burst, then the rate.
import { describe, expect, it } from 'vitest';
import { CallBudget } from '../../../lab-runner/terminal/call-budget.ts';
import { TokenBucket } from '../../../lab-runner/terminal/token-bucket.ts';

describe('CallBudget', () => {
  it('never runs more than its ceiling at once and serves waiters in order', async () => {
    const budget = new CallBudget(3);
    const releases: Array<() => void> = [];
    const order: number[] = [];
    let running = 0;
    let most = 0;
    const calls = Array.from({ length: 20 }, (_, i) =>
      budget.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((r) => releases.push(r));
        running--;
      }),
    );
    for (let done = 0; done < 20; done++) {
      while (releases.length === 0) await new Promise((r) => setImmediate(r));
      expect(budget.inFlight).toBeLessThanOrEqual(3);
      // A newcomer arriving while a slot is handed over must queue, not slip in.
      if (done === 5) calls.push(budget.run(async () => void order.push(99)));
      releases.shift()!();
    }
    await Promise.all(calls);
    expect(most).toBe(3);
    expect(budget.peak).toBe(3);
    expect(order.slice(0, 20)).toEqual([...Array(20).keys()]);
    expect(order.at(-1)).toBe(99);
  });
});

describe('TokenBucket', () => {
  it('allows the burst, then the rate', () => {
    const b = new TokenBucket(10, 5, 0);
    const taken = Array.from({ length: 8 }, () => b.take(0));
    expect(taken.filter(Boolean)).toHaveLength(5);
    expect(b.take(50)).toBe(false); // half a token
    expect(b.take(100)).toBe(true); // one more after 100 ms at 10/s
    expect(b.take(100)).toBe(false);
    expect(Array.from({ length: 10 }, (_, i) => b.take(10_000 + i)).filter(Boolean)).toHaveLength(5); // never more than the burst
  });
});

describe('descriptor budget', () => {
  it('reads the soft open-file limit and caps terminals so the HTTP server keeps its headroom', async () => {
    const { affordableSessions, openFileLimit, HTTP_HEADROOM } = await import('../../../lab-runner/terminal/descriptor-budget.ts');
    const limits =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            2048                 4096                 files\n';
    expect(openFileLimit(limits)).toBe(2048);
    expect(openFileLimit(limits.replace('2048', 'unlimited'))).toBeUndefined();
    expect(affordableSessions(400, 96, 20_000)).toBe(400);
    expect(affordableSessions(400, 96, 2048)).toBe(Math.floor((2048 - HTTP_HEADROOM - 96) / 3));
    expect(affordableSessions(400, 96, 1024)).toBe(1);
  });
});
