import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../../lab-runner/runtime/container-runtime.ts';
import { dockerHostIsLocal, evaluatePreflight, PreflightError, type HostFacts } from '../../../lab-runner/kind/host-preflight.ts';

const GiB = 1024 ** 3;
const engine: EngineInfo = {
  serverVersion: '27.3.1',
  apiVersion: '1.47',
  memTotalBytes: 32 * GiB,
  cgroupVersion: '2',
  cgroupDriver: 'systemd',
  securityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'],
  runtimes: ['runc'],
  operatingSystem: 'Debian GNU/Linux 12',
  rootless: false,
};
const allModules = { nfnetlink_queue: 'loadable', nft_queue: 'loadable', xt_recent: 'loaded' } as const;
const healthy: HostFacts = {
  engine,
  inotifyMaxUserWatches: 524288,
  inotifyMaxUserInstances: 512,
  memAvailableBytes: 16 * GiB,
  localHost: true,
  kernelModules: allModules,
};
const req = { nodeCount: 3, kubernetesMinor: 37 };
const status = (facts: HostFacts, r = req) => Object.fromEntries(evaluatePreflight(facts, r).map((c) => [c.name, c.status]));

describe('host preflight', () => {
  it('passes a healthy host', () => {
    const results = evaluatePreflight(healthy, req);
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(results.map((r) => r.name)).toEqual([
      'Docker reachable',
      'Engine version',
      'cgroups',
      'inotify watches',
      'inotify instances',
      'Free memory',
      'Kernel: NFQUEUE',
      'Kernel: xt_recent',
    ]);
  });

  it('stops at an unreachable engine', () => {
    const r = evaluatePreflight({ ...healthy, engine: { error: 'connect ENOENT /var/run/docker.sock' } }, req);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ status: 'fail', detail: expect.stringContaining('ENOENT') });
    expect(r[0]!.fix).toMatch(/systemctl start docker|DOCKER_HOST/);
  });

  it('warns (kind does not gate on it) about low inotify limits, with the sysctl to run', () => {
    const r = evaluatePreflight({ ...healthy, inotifyMaxUserWatches: 8192, inotifyMaxUserInstances: 128 }, req);
    const watches = r.find((c) => c.name === 'inotify watches')!;
    expect(watches.status).toBe('warn');
    expect(r.find((c) => c.name === 'inotify instances')!.status).toBe('warn');
    expect(r.some((c) => c.status === 'fail')).toBe(false);
    expect(watches.fix).toContain('sysctl fs.inotify.max_user_watches=524288');
    expect(r.find((c) => c.name === 'inotify instances')!.fix).toContain('sysctl fs.inotify.max_user_instances=512');
  });

  it('cgroup v1: fatal for Kubernetes ≥ 1.35, a warning before', () => {
    const v1 = { ...healthy, engine: { ...engine, cgroupVersion: '1', cgroupDriver: 'cgroupfs' } };
    expect(status(v1).cgroups).toBe('fail');
    expect(status(v1, { nodeCount: 3, kubernetesMinor: 34 }).cgroups).toBe('warn');
  });

  it('old engines and rootless without cgroup v2 fail; userns-remap warns (kind nodes opt out with --userns=host, so the engine does not confine them)', () => {
    expect(status({ ...healthy, engine: { ...engine, apiVersion: '1.40' } })['Engine version']).toBe('fail');
    expect(status({ ...healthy, engine: { ...engine, securityOptions: ['name=userns'] } })['User namespaces']).toBe('warn');
    // kind's rule: rootless needs cgroup v2 and memory, pids and cpu delegated (docker info MemoryLimit/PidsLimit/CPUShares).
    const delegated = { memory: true, pids: true, cpuShares: true };
    expect(status({ ...healthy, engine: { ...engine, rootless: true, cgroupLimits: delegated } })['Rootless Docker']).toBe('ok');
    expect(status({ ...healthy, engine: { ...engine, rootless: true, cgroupLimits: { ...delegated, pids: false } } })['Rootless Docker']).toBe('fail');
    expect(status({ ...healthy, engine: { ...engine, rootless: true } })['Rootless Docker']).toBe('warn');
    expect(status({ ...healthy, engine: { ...engine, rootless: true, cgroupVersion: '1' } })['Rootless Docker']).toBe('fail');
  });

  it('scales the memory check with the node count', () => {
    expect(status({ ...healthy, memAvailableBytes: 6 * GiB })['Free memory']).toBe('ok');
    expect(status({ ...healthy, memAvailableBytes: 4 * GiB })['Free memory']).toBe('warn');
    expect(status({ ...healthy, memAvailableBytes: 2 * GiB })['Free memory']).toBe('fail');
    expect(status({ ...healthy, memAvailableBytes: 2 * GiB }, { nodeCount: 1, kubernetesMinor: 37 })['Free memory']).toBe('ok');
  });

  it('PreflightError lists each failure with its fix', () => {
    const results = evaluatePreflight({ ...healthy, memAvailableBytes: 1 * GiB }, req);
    expect(new PreflightError(results).message).toMatch(/✗ Free memory: .*\n {4}fix: Free memory/);
  });

  it('knows when DOCKER_HOST is this machine', () => {
    expect(dockerHostIsLocal({})).toBe(true);
    expect(dockerHostIsLocal({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe(true);
    expect(dockerHostIsLocal({ DOCKER_HOST: 'ssh://me@builder' })).toBe(false);
  });
});
