// What keeps a kind lab alive on an ordinary host: a failed preload is a warning, two labs racing for a network
// both get one, the API port is chosen up front, a slow host is waited for, kubeadm is not killed at 300 s.
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cgroupLimitsOf, storageFacts } from '../../../lab-runner/docker/docker-engine.ts';
import { toNetworkInfo } from '../../../lab-runner/docker/docker-networks.ts';
import { LabRunnerError } from '../../../lab-runner/errors.ts';
import { freePort, isPortTaken, pinFreeHostPorts } from '../../../lab-runner/kind/api-server-port.ts';
import { chooseNetwork, ensureClusterNetwork, isPoolOverlap, kindNetworkSpec } from '../../../lab-runner/kind/kind-network.ts';
import { DEFAULT_KIND_OPTIONS } from '../../../lab-runner/kind/kind-provisioner.ts';
import { preloadWorkloadImages } from '../../../lab-runner/kind/preload.ts';
import { waitForNodesReady } from '../../../lab-runner/kind/wait-for-ready.ts';
import { Labels } from '../../../lab-runner/labels.ts';
import type { ContainerRuntime, ExecOptions, ExecResult, NetworkInfo, NetworkSpec } from '../../../lab-runner/runtime/container-runtime.ts';

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false, truncated: false });
const fail = (stderr: string): ExecResult => ({ exitCode: 1, stdout: '', stderr, durationMs: 1, timedOut: false, truncated: false });

describe('preloading workload images', () => {
  const node = { id: 'n1', name: 'pw-lab1-worker' };
  function fakeRuntime(importResult: ExecResult) {
    const calls: ExecOptions[] = [];
    const saves: unknown[] = [];
    const runtime = {
      inspectImage: async (ref: string) => (ref === 'absent:1' ? undefined : { id: 'sha256:abc', tags: [ref], labels: {}, sizeBytes: 10 }),
      saveImage: async (_ref: string, opts?: unknown) => {
        saves.push(opts);
        const s = new PassThrough();
        s.end(Buffer.from('tar'));
        return s;
      },
      exec: async (_id: string, o: ExecOptions) => {
        calls.push(o);
        if (o.cmd[0] === 'crictl') return fail('not found');
        if (o.cmd[0] === 'containerd') return ok(`version = 3\n[plugins]\n  [plugins.'io.containerd.cri.v1.images']\n    snapshotter = "overlayfs"\n`);
        return importResult;
      },
    } as unknown as ContainerRuntime;
    return { runtime, calls, saves };
  }

  it('a failed import is a warning with the image and its fix, never an exception that would delete the cluster', async () => {
    const { runtime } = fakeRuntime(fail('ctr: content digest sha256:deadbeef: not found'));
    const lines: string[] = [];
    const out = await preloadWorkloadImages({
      ctx: { runtime, privileged: true },
      nodes: [node],
      images: ['agnhost:2.53', 'absent:1'],
      clusterName: 'pw-lab1',
      onDetail: (l) => lines.push(l),
    });
    expect(out.loaded).toEqual([]);
    expect(out.problems.map((p) => [p.image, p.reason.split(':')[0]])).toEqual([
      ['agnhost:2.53', 'loading failed'],
      ['absent:1', 'not on the Docker host'],
    ]);
    expect(out.problems[0]!.reason).toContain('content digest');
    expect(out.problems[1]!.fix).toBe(
      'run "docker pull absent:1" (offline: "docker save" it where a registry is reachable, "docker load" it here), then "kind load docker-image absent:1 --name pw-lab1" or recreate the lab',
    );
    expect(lines.filter((l) => l.startsWith('warning:'))).toHaveLength(2);
  });

  it("saves and imports the engine's own platform (API ≥ 1.48), never --all-platforms", async () => {
    const { runtime, calls, saves } = fakeRuntime(ok());
    const out = await preloadWorkloadImages({
      ctx: { runtime, privileged: true },
      nodes: [node],
      images: ['agnhost:2.53'],
      clusterName: 'pw-lab1',
      engine: { apiVersion: '1.52', platform: { os: 'linux', architecture: 'amd64' } },
    });
    expect(out.problems).toEqual([]);
    expect(out.loaded[0]!.imported).toEqual(['pw-lab1-worker']);
    expect(saves).toEqual([{ platform: { os: 'linux', architecture: 'amd64' } }]);
    const ctr = calls.find((c) => c.cmd[0] === 'ctr')!;
    expect(ctr.cmd).toEqual(['ctr', '--namespace=k8s.io', 'images', 'import', '--digests', '--snapshotter=overlayfs', '--platform=linux/amd64', '-']);
  });
});

describe('the cluster network', () => {
  const choiceShared = chooseNetwork('shared', 'pw-lab1', {});
  const choiceOwn = chooseNetwork('per-cluster', 'pw-lab1', {});
  const net = (name: string, labels: Record<string, string> = {}): NetworkInfo => ({ id: `id-${name}`, name, labels, internal: false });

  it("two labs racing for the shared network: the loser of the 409 uses the winner's", async () => {
    let inspects = 0;
    const runtime = {
      inspectNetwork: async () => (++inspects === 1 ? undefined : net('kind')),
      createNetwork: async () => {
        throw new LabRunnerError('name-conflict', 'A Docker network named kind already exists.');
      },
    } as unknown as ContainerRuntime;
    expect(
      (
        await ensureClusterNetwork(
          runtime,
          kindNetworkSpec({ choice: choiceShared, clusterName: 'pw-lab1', labLabels: {}, internal: false }),
          choiceShared,
          'lab1',
        )
      ).name,
    ).toBe('kind');
  });

  it('a pool overlap from a concurrent create is retried with a fresh allocation', async () => {
    const created: NetworkSpec[] = [];
    const runtime = {
      inspectNetwork: async () => undefined,
      createNetwork: async (spec: NetworkSpec) => {
        created.push(spec);
        if (created.length < 3) throw new Error('(HTTP code 403) unexpected - Pool overlaps with other one on this address space');
        return net(spec.name, spec.labels);
      },
    } as unknown as ContainerRuntime;
    const spec = kindNetworkSpec({ choice: choiceOwn, clusterName: 'pw-lab1', labLabels: { [Labels.labId]: 'lab1' }, internal: false });
    expect((await ensureClusterNetwork(runtime, spec, choiceOwn, 'lab1', { pauseMs: 1 })).name).toBe('pw-lab1-net');
    expect(created).toHaveLength(3);
  });

  it("a per-cluster name taken by someone else's network is an error, not a silent share", async () => {
    const runtime = {
      inspectNetwork: async () => net('pw-lab1-net', { [Labels.labId]: 'other' }),
      createNetwork: async () => {
        throw new LabRunnerError('name-conflict', 'exists');
      },
    } as unknown as ContainerRuntime;
    await expect(
      ensureClusterNetwork(runtime, kindNetworkSpec({ choice: choiceOwn, clusterName: 'pw-lab1', labLabels: {}, internal: false }), choiceOwn, 'lab1'),
    ).rejects.toThrow('exists');
  });

  it("knows Docker's overlap messages and copies the default bridge's MTU", () => {
    expect(isPoolOverlap('Error response from daemon: Pool overlaps with other one on this address space')).toBe(true);
    expect(isPoolOverlap('invalid pool request: networks have overlapping IPv4')).toBe(true);
    expect(isPoolOverlap('no such network')).toBe(false);
    const bridge = toNetworkInfo({ Id: 'b', Name: 'bridge', Options: { 'com.docker.network.driver.mtu': '1450' } } as never);
    expect(bridge.mtu).toBe(1450);
    expect(kindNetworkSpec({ choice: choiceShared, clusterName: 'c', labLabels: {}, internal: false, mtu: bridge.mtu }).mtu).toBe(1450);
  });
});

describe('published host ports', () => {
  it("are chosen before the container starts, free on the listen address (kind's GetFreePort); fixed ones are kept", async () => {
    const pinned = await pinFreeHostPorts(
      [
        { containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '' },
        { containerPort: '30080/tcp', hostIp: '0.0.0.0', hostPort: '' },
        { containerPort: '53/udp', hostIp: '127.0.0.1', hostPort: '8053' },
      ],
      true,
    );
    const port = Number(pinned[0]!.hostPort);
    expect(port).toBeGreaterThan(1023);
    expect(Number(pinned[1]!.hostPort)).toBeGreaterThan(1023);
    expect(pinned[2]!.hostPort).toBe('8053');
    // Free indeed: it can be bound right away.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    server.close();
    expect(await freePort('127.0.0.1')).toBeGreaterThan(0);
  });
  it("are left to Docker for a remote engine, where this machine's ports say nothing", async () => {
    const b = [{ containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '' }];
    expect(await pinFreeHostPorts(b, false)).toEqual(b);
  });
  it('recognises a port taken between the probe and the start', () => {
    expect(isPortTaken('driver failed programming external connectivity: Bind for 127.0.0.1:43117 failed: port is already allocated')).toBe(true);
    expect(isPortTaken('no such image')).toBe(false);
  });
});

describe("timeouts like kind's", () => {
  it('kubeadm init/join are not killed at 300 s; the Ready wait warns at 300 s and gives up much later', () => {
    expect(DEFAULT_KIND_OPTIONS.kubeadmTimeoutMs).toBeGreaterThanOrEqual(20 * 60_000);
    expect(DEFAULT_KIND_OPTIONS.readyTimeoutMs).toBe(300_000);
    expect(DEFAULT_KIND_OPTIONS.readyGiveUpMs).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it("a slow host gets a warning with the nodes' state, and the wait goes on until they are Ready", async () => {
    let calls = 0;
    const runtime = {
      exec: async () => ok(++calls < 4 ? 'cp False\nw1 False\n' : 'cp True\nw1 True\n'),
    } as unknown as ContainerRuntime;
    const warnings: string[] = [];
    await waitForNodesReady({ runtime, privileged: true }, { id: 'cp', name: 'cp' }, 2, 5_000, true, {
      warnAfterMs: 0,
      onWarn: (l) => warnings.push(l),
      pollMs: 5,
    });
    expect(calls).toBe(4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/still not Ready .*cp False; w1 False.*still waiting up to 5 s/);
  });
});

describe('storage facts from docker info', () => {
  it('classic overlay2 on ext4, and the containerd image store (no backing filesystem reported)', () => {
    expect(
      storageFacts({
        Driver: 'overlay2',
        DriverStatus: [
          ['Backing Filesystem', 'extfs'],
          ['Supports d_type', 'true'],
        ],
      }),
    ).toEqual({ storageDriver: 'overlay2', backingFilesystem: 'extfs', containerdImageStore: false });
    expect(storageFacts({ Driver: 'overlayfs', DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']] })).toEqual({
      storageDriver: 'overlayfs',
      containerdImageStore: true,
    });
  });
  it('cgroup delegation as kind reads it: limits are meaningless (false) with cgroup driver "none"', () => {
    expect(cgroupLimitsOf({ CgroupDriver: 'systemd', MemoryLimit: true, PidsLimit: true, CPUShares: true })).toEqual({
      memory: true,
      pids: true,
      cpuShares: true,
    });
    expect(cgroupLimitsOf({ CgroupDriver: 'none', MemoryLimit: true, PidsLimit: true, CPUShares: true })).toEqual({
      memory: false,
      pids: false,
      cpuShares: false,
    });
  });
});
