import { describe, expect, it } from 'vitest';
import { GradingLoop } from '../../../lab-runner/grader/grading-loop.ts';
import type { Clock, RoundTrigger } from '../../../lab-runner/grader/grading-loop.ts';

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements Clock {
  time = 0;
  randomValue = 0.5;
  timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  now = () => this.time;
  random = () => this.randomValue;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  /** Advance time, firing due timers in order and letting their promises settle. */
  async advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
      await flush();
    }
    this.time = end;
    await flush();
  }
}
const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function setup(opts: { roundMs?: number; jitter?: number } = {}) {
  const clock = new FakeClock();
  const rounds: { trigger: RoundTrigger; start: number; end?: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const loop = new GradingLoop({
    intervalMs: 3000,
    jitter: opts.jitter,
    clock,
    round: async (trigger) => {
      const r: (typeof rounds)[number] = { trigger, start: clock.now() };
      rounds.push(r);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (opts.roundMs) await new Promise<void>((resolve) => clock.setTimeout(resolve, opts.roundMs!));
      inFlight--;
      r.end = clock.now();
    },
  });
  return { clock, loop, rounds, maxInFlight: () => maxInFlight };
}

describe('GradingLoop', () => {
  it('does nothing until watched, then checks at once and every interval', async () => {
    const { clock, loop, rounds } = setup({ jitter: 0 });
    await clock.advance(10_000);
    expect(rounds).toHaveLength(0);
    loop.watch();
    await clock.advance(0);
    expect(rounds.map((r) => r.start)).toEqual([10_000]);
    await clock.advance(9_000);
    expect(rounds.map((r) => r.start)).toEqual([10_000, 13_000, 16_000, 19_000]);
    expect(rounds.every((r) => r.trigger === 'interval')).toBe(true);
  });

  it('pauses when the last watcher leaves and resumes when one comes back', async () => {
    const { clock, loop, rounds } = setup({ jitter: 0 });
    const a = loop.watch();
    const b = loop.watch();
    await clock.advance(3_000);
    expect(rounds).toHaveLength(2);
    a();
    a(); // idempotent: releasing twice must not release b's watch
    await clock.advance(3_000);
    expect(rounds).toHaveLength(3);
    b();
    expect(loop.watching).toBe(false);
    await clock.advance(60_000);
    expect(rounds).toHaveLength(3);
    loop.watch();
    await clock.advance(0);
    expect(rounds).toHaveLength(4);
  });

  it('jitters the interval within ±20% by default', async () => {
    const { clock, loop } = setup();
    clock.randomValue = 0;
    expect(loop.nextDelay()).toBe(2400);
    clock.randomValue = 0.999999;
    expect(loop.nextDelay()).toBe(3600);
    clock.randomValue = 0.5;
    expect(loop.nextDelay()).toBe(3000);
  });

  it('measures the interval from the end of a round and never overlaps rounds', async () => {
    const { clock, loop, rounds, maxInFlight } = setup({ roundMs: 1000, jitter: 0 });
    loop.watch();
    await clock.advance(9_000);
    expect(rounds.map((r) => [r.start, r.end])).toEqual([
      [0, 1000],
      [4000, 5000],
      [8000, 9000],
    ]);
    expect(maxInFlight()).toBe(1);
  });

  it('checkNow runs immediately when idle and restarts the interval from there', async () => {
    const { clock, loop, rounds } = setup({ jitter: 0 });
    loop.watch();
    await clock.advance(1_000);
    await loop.checkNow();
    expect(rounds.map((r) => [r.trigger, r.start])).toEqual([
      ['interval', 0],
      ['manual', 1000],
    ]);
    await clock.advance(2_999);
    expect(rounds).toHaveLength(2);
    await clock.advance(1);
    expect(rounds).toHaveLength(3);
  });

  it('checkNow during a round queues exactly one more round, shared by all callers', async () => {
    const { clock, loop, rounds, maxInFlight } = setup({ roundMs: 1000, jitter: 0 });
    loop.watch();
    await clock.advance(100);
    let done = 0;
    const p = [loop.checkNow(), loop.checkNow(), loop.checkNow()].map((x) => x.then(() => done++));
    await clock.advance(900);
    expect(rounds.map((r) => [r.trigger, r.start])).toEqual([
      ['interval', 0],
      ['manual', 1000],
    ]);
    expect(done).toBe(0); // resolves only after the queued round, which sees the latest lab state
    await clock.advance(1000);
    await Promise.all(p);
    expect(done).toBe(3);
    expect(maxInFlight()).toBe(1);
  });

  it('works without watchers for a one-off check, and keeps going after a failing round', async () => {
    const clock = new FakeClock();
    let n = 0;
    const errors: unknown[] = [];
    const loop = new GradingLoop({
      intervalMs: 3000,
      jitter: 0,
      clock,
      onError: (e) => errors.push(e),
      round: async () => {
        n++;
        if (n === 1) throw new Error('lab gone');
      },
    });
    await loop.checkNow();
    expect(errors).toHaveLength(1);
    await clock.advance(10_000);
    expect(n).toBe(1); // nobody watches: no background rounds
    loop.watch();
    await clock.advance(3_000);
    expect(n).toBe(3);
  });

  it('close stops scheduling', async () => {
    const { clock, loop, rounds } = setup({ jitter: 0 });
    loop.watch();
    await clock.advance(0);
    await loop.close();
    await clock.advance(30_000);
    expect(rounds).toHaveLength(1);
    expect(() => loop.watch()).toThrow(/closed/);
  });

  it('close during a round lets it finish (busy until then), and releases a queued check without running it', async () => {
    const { clock, loop, rounds } = setup({ roundMs: 1000, jitter: 0 });
    loop.watch();
    await clock.advance(100);
    expect(loop.busy).toBe(true);
    let queuedDone = false;
    const queued = loop.checkNow().then(() => (queuedDone = true));
    let closed = false;
    const closing = loop.close().then(() => (closed = true));
    await clock.advance(0);
    expect(loop.busy).toBe(true);
    expect(closed).toBe(false);
    expect(queuedDone).toBe(false);
    await clock.advance(900);
    await Promise.all([closing, queued]);
    expect(loop.busy).toBe(false);
    expect(rounds.map((r) => [r.trigger, r.start, r.end])).toEqual([['interval', 0, 1000]]);
    await loop.checkNow(); // closed: resolves at once, runs nothing
    await clock.advance(30_000);
    expect(rounds).toHaveLength(1);
  });
});
