// The Ready wait on a fake clock (pollUntil's clock, wired through): a 20-minute give-up and a 5-minute warning
// take no real time, and the warning comes once, at the first answer past warnAfterMs.
import { describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../lab-runner/errors.ts';
import { waitForNodesReady } from '../../../lab-runner/kind/wait-for-ready.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { FakeClock } from '../util/fake-clock.ts';

describe('waiting for Ready on a slow host', () => {
  it('warns once past warnAfterMs, keeps polling every pollMs, and gives up at the limit with the last answer', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const runtime = {
      exec: async () => {
        calls++;
        clock.advance(500); // each kubectl call takes half a second
        return { exitCode: 0, stdout: 'cp False\nw1 False\n', stderr: '', durationMs: 500, timedOut: false, truncated: false };
      },
    } as unknown as ContainerRuntime;
    const warnings: string[] = [];
    const t0 = performance.now();
    const err = await waitForNodesReady({ runtime, privileged: true }, { id: 'cp', name: 'cp' }, 2, 20 * 60_000, true, {
      warnAfterMs: 5 * 60_000,
      onWarn: (l) => warnings.push(l),
      pollMs: 1000,
      clock,
    }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).message).toMatch(/nodes were not Ready within 1200 s/);
    expect((err as ProvisionError).outputTail).toBe('cp False\nw1 False');
    // One probe every 1.5 s (0.5 s answer + 1 s pause) over 20 minutes; the warning comes with the answer that ends at
    // 300.5 s (rounded: 301 s).
    expect(calls).toBe(800);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/still not Ready after 301 s \(cp False; w1 False\).*still waiting up to 1200 s/);
  });
});
