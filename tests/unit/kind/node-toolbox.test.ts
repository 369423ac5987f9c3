// The toolbox behind node1/node2 on a kind lab, as the Docker create body it becomes.
import { describe, expect, it } from 'vitest';
import { toCreateOptions } from '../../../lab-runner/docker/container-create-options.ts';
import { iptablesModeOf, TOOLBOX_IMAGE, toolboxContainerSpec } from '../../../lab-runner/kind/node-toolbox.ts';
import { NODE_CAPABILITIES } from '../../../lab-runner/nodes/node-container-spec.ts';

const labLabels = { 'io.packetwalk.managed': 'true', 'io.packetwalk.lab-id': 'lab-k3m9x2qa' };
const node = { id: 'c0ffee1234', name: 'pw-lab-k3m9x2qa-worker', suffix: 'worker' };

describe('toolbox container (node1 on a kind lab)', () => {
  const spec = toolboxContainerSpec({ clusterName: 'pw-lab-k3m9x2qa', node, target: 'node1', labLabels });
  const body = toCreateOptions(spec);
  const host = body.HostConfig!;

  it("joins the kind worker's network namespace by container id, with no endpoint, hostname or DNS options of its own", () => {
    expect(host.NetworkMode).toBe('container:c0ffee1234');
    // Docker refuses these with container: network mode ("conflicting options").
    expect(body.NetworkingConfig).toBeUndefined();
    expect(body.Hostname).toBeUndefined();
    expect(host.DnsOptions).toBeUndefined();
    expect(host.PortBindings).toBeUndefined();
    expect(body.ExposedPorts).toBeUndefined();
  });

  it('is not privileged: every capability dropped but the bare-node set (networking, and dropping privileges)', () => {
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect([...(host.CapAdd ?? [])].sort()).toEqual([...NODE_CAPABILITIES].sort());
    expect(host.CapAdd).toEqual(expect.arrayContaining(['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SETUID', 'SETGID']));
    expect(host.CapAdd).not.toContain('SYS_PTRACE');
    expect(host.CapAdd).not.toContain('SYS_MODULE');
    // Default seccomp and AppArmor (no unconfined), no host paths, no devices.
    expect(host.SecurityOpt).toBeUndefined();
    expect(host.Binds).toBeUndefined();
  });

  it('has the bare-node limits: memory without swap, one CPU, 512 pids, sized tmpfs, small logs', () => {
    expect(host.Memory).toBe(256 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(1e9);
    expect(host.PidsLimit).toBe(512);
    expect(host.Tmpfs).toEqual({ '/run': expect.stringContaining('size=16m'), '/tmp': expect.stringContaining('size=64m') });
    expect(host.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: undefined });
    expect(host.Init).toBe(false);
  });

  it("runs packetwalk/node's init so it never removes the worker's default route", () => {
    expect(body.Image).toBe(TOOLBOX_IMAGE);
    expect(body.Cmd).toBeUndefined();
    // packetwalk-init deletes the default route unless PACKETWALK_EGRESS=true; here the route is the worker's.
    expect(body.Env).toEqual(
      expect.arrayContaining(['PACKETWALK_EGRESS=true', 'PACKETWALK_LAB=lab-k3m9x2qa', 'PACKETWALK_NODE=node1', 'PACKETWALK_KIND_NODE=pw-lab-k3m9x2qa-worker']),
    );
  });

  it("carries the lab's labels (teardown, pause, reaper) but no kind labels, so kind never counts it as a node", () => {
    expect(body.name).toBe('pw-lab-k3m9x2qa-node1-toolbox');
    expect(body.Labels).toMatchObject({ ...labLabels, 'io.packetwalk.role': 'toolbox', 'io.packetwalk.node': 'node1' });
    expect(Object.keys(body.Labels ?? {}).filter((k) => k.startsWith('io.x-k8s.kind'))).toEqual([]);
  });

  it("takes the template's image and the lab runtime (LAB_RUNTIME) when given", () => {
    const custom = toCreateOptions(toolboxContainerSpec({ clusterName: 'c', node, target: 'node2', labLabels, image: 'my/tools:1', runtime: 'sysbox-runc' }));
    expect(custom.Image).toBe('my/tools:1');
    expect(custom.HostConfig?.Runtime).toBe('sysbox-runc');
  });
});

describe('iptables backend of a node', () => {
  it.each([
    ['/usr/sbin/xtables-nft-multi\n', 'nft'],
    ['/usr/sbin/xtables-legacy-multi', 'legacy'],
    ['/usr/sbin/iptables-legacy', 'legacy'],
    ['/usr/sbin/iptables-nft', 'nft'],
    ['/usr/sbin/iptables-wrapper', undefined],
    ['', undefined],
  ])('%j → %s', (resolved, mode) => {
    expect(iptablesModeOf(resolved)).toBe(mode);
  });
});
