// pollUntil, the engine's one way to wait, on a fake clock: no test here sleeps for real.
import { describe, expect, it } from 'vitest';
import { PollTimeoutError, ProvisionError } from '../../../lab-runner/errors.ts';
import { constantBackoff, exponentialBackoff, jitteredBackoff, linearBackoff } from '../../../lab-runner/util/backoff.ts';
import { systemClock } from '../../../lab-runner/util/clock.ts';
import { done, notYet, pollUntil, type PollAttempt } from '../../../lab-runner/util/poll-until.ts';
import { FakeClock } from './fake-clock.ts';

/** A probe that answers "not yet" (with its attempt number) until attempt `readyAt`, then done with "ok". */
function readyAt(readyAt: number, clock?: FakeClock, probeMs = 0) {
  const startedAt: number[] = [];
  const probe = async ({ attempt }: { attempt: number }): Promise<PollAttempt<string>> => {
    startedAt.push(clock?.now() ?? 0);
    clock?.advance(probeMs);
    return attempt >= readyAt ? done('ok') : notYet(`attempt ${attempt}`);
  };
  return { probe, startedAt };
}

describe('pollUntil', () => {
  it('returns the value of the first probe that is done, pausing by the backoff between probes', async () => {
    const clock = new FakeClock();
    const { probe, startedAt } = readyAt(8, clock);
    const value = await pollUntil(probe, { what: 'x', timeoutMs: 30_000, backoff: exponentialBackoff({ initialMs: 10, maxMs: 200 }), clock });
    expect(value).toBe('ok');
    // The readiness probe's schedule: 10 ms doubling to at most 200 ms, and no pause after the probe that succeeded.
    expect(clock.pauses).toEqual([10, 20, 40, 80, 160, 200, 200]);
    expect(startedAt).toEqual([0, 10, 30, 70, 150, 310, 510, 710]);
  });

  it('a first probe that is done returns at once, without a pause', async () => {
    const clock = new FakeClock();
    expect(await pollUntil(async () => done(42), { what: 'x', maxAttempts: 1, backoff: constantBackoff(1000), clock })).toBe(42);
    expect(clock.pauses).toEqual([]);
  });

  it('past the deadline no probe starts, and the wait gives up with the last answer', async () => {
    const clock = new FakeClock();
    const { probe, startedAt } = readyAt(Infinity, clock);
    const err = await pollUntil(probe, { what: 'the nodes', timeoutMs: 1_200, backoff: constantBackoff(1000), clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PollTimeoutError);
    const e = err as PollTimeoutError;
    expect(e.code).toBe('poll-timeout');
    // Probes at 0 and 1000 ms; the pause after the second one ends at 2000 ms, past the deadline: no third probe.
    expect(startedAt).toEqual([0, 1000]);
    expect(e.outcome).toMatchObject({ what: 'the nodes', reason: 'deadline', attempts: 2, elapsedMs: 2000, detail: 'attempt 2' });
    expect(e.message).toBe('Gave up waiting for the nodes within 2 s (last: attempt 2)');
  });

  it('a deadline of zero probes nothing', async () => {
    const { probe, startedAt } = readyAt(1, new FakeClock());
    await expect(pollUntil(probe, { what: 'x', timeoutMs: 0, backoff: constantBackoff(1), clock: new FakeClock() })).rejects.toBeInstanceOf(PollTimeoutError);
    expect(startedAt).toEqual([]);
  });

  it('a slow probe counts against the deadline, and the probe can read the time spent so far', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const err = await pollUntil(
      async ({ elapsedMs }) => {
        clock.advance(700);
        seen.push(elapsedMs());
        return notYet();
      },
      { what: 'x', timeoutMs: 2_000, backoff: constantBackoff(100), clock },
    ).catch((e: unknown) => e);
    expect(seen).toEqual([700, 1500, 2300]);
    expect((err as PollTimeoutError).outcome.attempts).toBe(3);
  });

  it('an attempt limit stops after the last attempt without a pause, keeping the last error as the cause', async () => {
    const clock = new FakeClock();
    const failures = [new Error('registry timeout 1'), new Error('registry timeout 2'), new Error('registry timeout 3')];
    let calls = 0;
    const err = await pollUntil(
      async () => {
        const e = failures[calls++]!;
        return notYet(e.message, e);
      },
      { what: 'the pull', maxAttempts: 3, backoff: linearBackoff(1000), clock },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(clock.pauses).toEqual([1000, 2000]);
    const e = err as PollTimeoutError;
    expect(e.outcome).toMatchObject({ reason: 'attempts', attempts: 3, detail: 'registry timeout 3' });
    expect(e.cause).toBe(failures[2]);
    expect(e.message).toBe('Gave up waiting for the pull after 3 attempts (last: registry timeout 3)');
  });

  it('with both bounds, whichever comes first ends the wait', async () => {
    const clock = new FakeClock();
    const { probe, startedAt } = readyAt(Infinity, clock);
    const err = (await pollUntil(probe, { what: 'x', timeoutMs: 60_000, maxAttempts: 4, backoff: constantBackoff(10), clock }).catch(
      (e: unknown) => e,
    )) as PollTimeoutError;
    expect(startedAt).toHaveLength(4);
    expect(err.outcome.reason).toBe('attempts');
  });

  it("giveUp turns the outcome into the caller's own error", async () => {
    const clock = new FakeClock();
    const err = await pollUntil(async () => notYet('marker not there'), {
      what: 'x',
      timeoutMs: 50,
      backoff: constantBackoff(20),
      clock,
      giveUp: (o) => new ProvisionError('readiness', `node did not become ready within ${o.elapsedMs} ms`, o.detail),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).message).toMatch(/^Provisioning failed at step "readiness": node did not become ready within 60 ms/);
    expect((err as ProvisionError).outputTail).toBe('marker not there');
  });

  it('a probe that throws ends the wait at once with its error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const stopped = new ProvisionError('readiness', 'node stopped while starting');
    const err = await pollUntil(
      async () => {
        if (++calls === 2) throw stopped;
        return notYet();
      },
      { what: 'x', timeoutMs: 60_000, backoff: constantBackoff(10), clock },
    ).catch((e: unknown) => e);
    expect(err).toBe(stopped);
    expect(calls).toBe(2);
  });

  it('an aborted signal ends the wait before the next probe with its reason', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const reason = new Error('the lab was destroyed');
    let calls = 0;
    const err = await pollUntil(
      async () => {
        if (++calls === 2) controller.abort(reason);
        return notYet();
      },
      { what: 'x', timeoutMs: 60_000, backoff: constantBackoff(10), clock, signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(err).toBe(reason);
    expect(calls).toBe(2);
  });

  it('an abort during a pause ends the wait without waiting for the pause', async () => {
    const clock = new FakeClock({ holdPauses: true });
    const controller = new AbortController();
    let calls = 0;
    const waiting = pollUntil(
      async () => {
        calls++;
        return notYet();
      },
      { what: 'x', timeoutMs: 60_000, backoff: constantBackoff(3_600_000), clock, signal: controller.signal },
    );
    await new Promise((r) => setImmediate(r));
    expect(clock.pauses).toEqual([3_600_000]);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(calls).toBe(1);
  });

  it('a signal aborted before the start probes nothing', async () => {
    let calls = 0;
    const err = await pollUntil(
      async () => {
        calls++;
        return done(1);
      },
      { what: 'x', maxAttempts: 3, backoff: constantBackoff(1), clock: new FakeClock(), signal: AbortSignal.abort(new Error('gone')) },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('gone');
    expect(calls).toBe(0);
  });
});

describe('backoff policies', () => {
  it('constant, linear and capped exponential pauses', () => {
    expect([1, 2, 3].map(constantBackoff(20))).toEqual([20, 20, 20]);
    expect([1, 2, 3, 4].map(linearBackoff(150))).toEqual([150, 300, 450, 600]);
    expect([1, 2, 3, 4, 5].map(exponentialBackoff({ initialMs: 100, maxMs: 1000, factor: 3 }))).toEqual([100, 300, 900, 1000, 1000]);
  });
  it('jitter scales a pause into [0.5, 1.5) of the base', () => {
    const base = linearBackoff(250);
    expect(jitteredBackoff(base, () => 0)(2)).toBe(250);
    expect(jitteredBackoff(base, () => 0.5)(2)).toBe(500);
    expect(jitteredBackoff(base, () => 0.999)(2)).toBeCloseTo(749.5);
  });
});

describe('systemClock', () => {
  it('an abort ends a long sleep at once with the reason, and an aborted signal refuses to sleep', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    const sleeping = systemClock.sleep(3_600_000, controller.signal);
    controller.abort(new Error('enough'));
    await expect(sleeping).rejects.toThrow('enough');
    await expect(systemClock.sleep(3_600_000, controller.signal)).rejects.toThrow('enough');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it('sleeps about as long as asked', async () => {
    const t0 = systemClock.now();
    await systemClock.sleep(5);
    expect(systemClock.now() - t0).toBeGreaterThanOrEqual(4);
  });
});
