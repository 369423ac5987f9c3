// BridgeNetfilter's decisions on a scripted runtime: it looks from inside a node, asks Docker (a bridge network with
// icc=false, removed at once) only when the sysctl is missing, looks again, and says once why it could not.
// The real thing runs in tests/integration/nodes/bridge-netfilter.test.ts and, on Docker 28, in the stock-kernel VM.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_NF_NETWORK, BRIDGE_NF_SYSCTL, BridgeNetfilter, bridgeNetfilterCheck } from '../../../lab-runner/nodes/bridge-netfilter.ts';
import type { ContainerRuntime, ExecOptions, NetworkSpec } from '../../../lab-runner/runtime/container-runtime.ts';

/** present: what each look finds, in order; createFails: the error Docker answers the network with. */
function scripted(present: boolean[], createFails?: string) {
  const looks: ExecOptions[] = [];
  const created: NetworkSpec[] = [];
  const removed: string[] = [];
  const runtime = {
    exec: async (_id: string, o: ExecOptions) => {
      looks.push(o);
      const found = present[looks.length - 1] ?? false;
      return { exitCode: found ? 0 : 1, stdout: '', stderr: '', timedOut: false };
    },
    createNetwork: async (spec: NetworkSpec) => {
      if (createFails) throw new Error(createFails);
      created.push(spec);
      return { id: 'net-1', name: spec.name, labels: spec.labels, internal: spec.internal };
    },
    removeNetwork: async (idOrName: string) => {
      removed.push(idOrName);
    },
  } as unknown as ContainerRuntime;
  return { runtime, looks, created, removed };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeNetfilter.ensure', () => {
  it('finds the module loaded and changes nothing on the host', async () => {
    const s = scripted([true]);
    expect(await new BridgeNetfilter(s.runtime).ensure('node1')).toEqual({ kind: 'loaded', by: 'host' });
    expect(s.looks.map((o) => o.cmd)).toEqual([['test', '-e', BRIDGE_NF_SYSCTL]]);
    expect(s.created).toEqual([]);
  });

  it('has Docker load it with a network that turns inter-container traffic off, removes that network, and looks again', async () => {
    const s = scripted([false, true]);
    expect(await new BridgeNetfilter(s.runtime).ensure('node1')).toEqual({ kind: 'loaded', by: 'docker' });
    expect(s.created).toHaveLength(1);
    expect(s.created[0]).toMatchObject({ name: BRIDGE_NF_NETWORK, internal: true, driverOptions: { 'com.docker.network.bridge.enable_icc': 'false' } });
    // A leftover of a process that died mid-way is removed first; the new one right after.
    expect(s.removed).toEqual([BRIDGE_NF_NETWORK, 'net-1']);
    expect(s.looks).toHaveLength(2);
  });

  it('checks once per process: later labs cost nothing, and concurrent labs share the one check', async () => {
    const s = scripted([false, true]);
    const b = new BridgeNetfilter(s.runtime);
    const [x, y] = await Promise.all([b.ensure('node1'), b.ensure('node2')]);
    expect(x).toBe(y);
    await b.ensure('node3');
    expect(s.looks).toHaveLength(2);
    expect(s.created).toHaveLength(1);
  });

  it('when Docker refuses (rootless: it cannot load modules), reports why, warns once, and tries again only after a minute', async () => {
    vi.useFakeTimers();
    const s = scripted([false, false, false], 'cannot restrict inter-container communication or run without the userland proxy: modprobe failed');
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const b = new BridgeNetfilter(s.runtime);
      const first = await b.ensure('node1');
      expect(first).toMatchObject({ kind: 'missing', reason: expect.stringContaining('cannot restrict inter-container communication') });
      expect(await b.ensure('node1')).toBe(first);
      expect(s.looks).toHaveLength(1);
      vi.advanceTimersByTime(61_000);
      expect((await b.ensure('node1')).kind).toBe('missing');
      expect(s.looks).toHaveLength(2);
      const logged = [...warn.mock.calls, ...out.mock.calls].map((c) => String(c[0])).filter((l) => l.includes('br_netfilter is not loaded'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('sudo modprobe br_netfilter');
    } finally {
      warn.mockRestore();
      out.mockRestore();
    }
  });

  it('when Docker makes the network but the module still is not there, says so', async () => {
    const s = scripted([false, false]);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await new BridgeNetfilter(s.runtime).ensure('node1')).toEqual({ kind: 'missing', reason: expect.stringContaining('still did not load it') });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe("doctor's Bridge netfilter line", () => {
  it('is ok where the sysctl exists, and a warning with the manual fix where it does not', () => {
    expect(bridgeNetfilterCheck('/proc/self/status')).toMatchObject({ name: 'Bridge netfilter', status: 'ok' });
    const missing = bridgeNetfilterCheck('/proc/sys/net/no-such-sysctl');
    expect(missing).toMatchObject({ status: 'warn', detail: expect.stringContaining('Docker 28'), fix: expect.stringContaining('sudo modprobe br_netfilter') });
  });
});
