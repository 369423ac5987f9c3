// What a learner can break stays in their lab: capabilities are the ones we grant, limits hold, a fork bomb hits
// the PID limit while another lab keeps answering, "kill 1" changes nothing, and a node that dies is reported and
// can be reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

// CAP_NET_ADMIN (12), CAP_NET_RAW (13), CAP_SYS_ADMIN (21) for the lessons; CAP_SETUID (7), CAP_SETGID (6) so tcpdump
// and dnsmasq can switch to their own user; CAP_KILL (5), CAP_CHOWN (0), CAP_DAC_OVERRIDE (1), CAP_FOWNER (3) so root
// can still stop them and handle the files they own; CAP_NET_BIND_SERVICE (10) for ports below 1024 in "pod" network
// namespaces (node-tools.test.ts shows each one in use).
const GRANTED = [12n, 13n, 21n, 7n, 6n, 5n, 0n, 1n, 3n, 10n].reduce((mask, bit) => mask | (1n << bit), 0n);

describe('containment', () => {
  let t: TestEngine;
  let victim: ReadyLab;
  let bystander: ReadyLab;

  beforeAll(async () => {
    t = makeTestEngine();
    [victim, bystander] = await Promise.all([
      t.engine.labs.create({ template: 'nodes-1', learnerId: 'mallory' }),
      t.engine.labs.create({ template: 'nodes-1', learnerId: 'alice' }),
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('nodes run with exactly the granted capabilities (no MKNOD, no SYS_MODULE...), unprivileged, without the Docker socket', async () => {
    const r = await t.engine.labs.exec(victim.id, 'node1', {
      cmd: [
        'bash',
        '-c',
        'grep -E "^Cap(Eff|Bnd)" /proc/1/status; ls -la /var/run/docker.sock /run/docker.sock 2>&1; ip link add br-test type bridge && echo linkok',
      ],
    });
    const caps = Object.fromEntries([...r.stdout.matchAll(/^(Cap\w+):\s+([0-9a-f]+)$/gm)].map((m) => [m[1], BigInt(`0x${m[2]}`)]));
    expect(caps.CapEff).toBe(GRANTED);
    expect(caps.CapBnd).toBe(GRANTED);
    expect(r.stdout).toMatch(/No such file or directory/);
    expect(r.stdout).toContain('linkok');
    const mount = await t.engine.labs.exec(victim.id, 'node1', { cmd: ['bash', '-c', 'mknod /tmp/sda b 8 0 && echo made'] });
    expect(mount.stdout).not.toContain('made');
  });

  it('has a memory limit without swap, a CPU limit and a PID limit', async () => {
    const r = await t.engine.labs.exec(victim.id, 'node1', {
      cmd: [
        'bash',
        '-c',
        'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max /sys/fs/cgroup/pids.max',
      ],
    });
    const values = r.stdout.trim().split('\n');
    expect(values[0]).toBe(String(256 * 1024 * 1024));
    expect(['0', String(256 * 1024 * 1024)]).toContain(values[1]);
    expect(values[2]).toBe('512');
  });

  it('"kill 1" (any signal a learner can send to PID 1) changes nothing', async () => {
    const r = await t.engine.labs.exec(victim.id, 'node1', { cmd: ['bash', '-c', 'kill 1; kill -INT 1; kill -HUP 1; kill -9 1; sleep 0.3; echo alive'] });
    expect(r.stdout).toContain('alive');
    const info = await t.engine.runtime.inspectContainer(victim.targets[0]!.containerId);
    expect(info?.state).toBe('running');
    expect((await t.engine.labs.exec(victim.id, 'node1', { cmd: ['hostname'] })).stdout).toBe('node1\n');
  });

  it('a fork bomb meets the PID limit while another lab stays responsive', async () => {
    // Runs detached in the victim; the exec returns at once, the bomb keeps going.
    const bomb = await t.engine.labs.exec(victim.id, 'node1', {
      cmd: ['bash', '-c', "nohup setsid bash -c 'b(){ b|b & }; b' >/dev/null 2>&1 & echo started"],
      timeoutMs: 5000,
    });
    expect(bomb.stdout).toContain('started');
    let maxPids = 0;
    for (let i = 0; i < 10; i++) {
      const stats = await t.engine.runtime.stats(victim.targets[0]!.containerId);
      maxPids = Math.max(maxPids, stats.pids);
      const ok = await t.engine.labs.exec(bystander.id, 'node1', { cmd: ['echo', 'pong'], timeoutMs: 10_000 });
      expect(ok.stdout).toBe('pong\n');
      expect(ok.durationMs).toBeLessThan(5000);
    }
    expect(maxPids).toBeGreaterThan(400);
    expect(maxPids).toBeLessThanOrEqual(512);
    // The victim can be brought back: reset replaces its node with a fresh one.
    const fresh = await t.engine.labs.reset(victim.id);
    expect(fresh.targets[0]!.containerId).not.toBe(victim.targets[0]!.containerId);
    const after = await t.engine.runtime.stats(fresh.targets[0]!.containerId);
    expect(after.pids).toBeLessThan(10);
    expect((await t.engine.labs.exec(victim.id, 'node1', { cmd: ['hostname'] })).stdout).toBe('node1\n');
    victim = fresh;
  });

  it('a node that dies is reported (event + clear error) and the lab can be reset', async () => {
    const events: LabEvent[] = [];
    const unsubscribe = t.engine.labs.subscribe((e) => events.push(e));
    try {
      await t.engine.runtime.stopContainer(victim.targets[0]!.containerId, 0);
      await expect(t.engine.labs.exec(victim.id, 'node1', { cmd: ['true'] })).rejects.toThrow(/node1 in lab .* is not running.*Reset the lab/);
      expect(events).toContainEqual(expect.objectContaining({ type: 'target-down', labId: victim.id, target: 'node1' }));
      const fresh = await t.engine.labs.reset(victim.id);
      expect((await t.engine.labs.exec(fresh.id, 'node1', { cmd: ['hostname'] })).stdout).toBe('node1\n');
    } finally {
      unsubscribe();
    }
  });
});
