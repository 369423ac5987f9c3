import { describe, expect, it } from 'vitest';
import { toCreateOptions } from '../../../lab-runner/docker/container-create-options.ts';
import { nodeContainerSpec, NODE_CAPABILITIES } from '../../../lab-runner/nodes/node-container-spec.ts';
import { labNetworkSpec } from '../../../lab-runner/nodes/lab-network-spec.ts';
import { parseSandbox } from '../../../course/sandbox/load-sandbox.ts';
import type { NodesSandbox } from '../../../course/sandbox/nodes-sandbox-schema.ts';

const sandbox = parseSandbox(
  `name: t\ntitle: T\nruntime: nodes\ndefaults:\n  memory: 128Mi\nnodes:\n  - name: node1\n  - name: r1\n    role: router\n    resources:\n      memory: 64Mi\n      cpus: 0.5\n      pids: 100\n`,
  't/sandbox.yaml',
) as NodesSandbox;
const labels = { 'io.packetwalk.managed': 'true', 'io.packetwalk.lab-id': 'lab-abcdefgh' };

describe('node container spec -> Docker create body', () => {
  const body = toCreateOptions(nodeContainerSpec({ labId: 'lab-abcdefgh', sandbox, node: sandbox.nodes[0]!, labels }));
  const host = body.HostConfig!;

  it('drops every capability but the networking three and those privilege-dropping tools need, and is never privileged', () => {
    expect(host.CapDrop).toEqual(['ALL']);
    // NET_ADMIN, NET_RAW, SYS_ADMIN for the lessons; SETUID/SETGID so tcpdump and dnsmasq can switch to their user;
    // KILL, CHOWN, DAC_OVERRIDE, FOWNER so root can still stop them and handle the files they now own;
    // NET_BIND_SERVICE so root binds :53 and :80 inside the network namespaces lessons use as pods.
    const expected = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_RAW', 'SETGID', 'SETUID', 'SYS_ADMIN'];
    expect([...(host.CapAdd ?? [])].sort()).toEqual(expected);
    expect([...NODE_CAPABILITIES].sort()).toEqual(expected);
    expect(host.CapAdd).not.toContain('ALL');
    expect(host.Privileged).toBe(false);
    expect(JSON.stringify(body)).not.toMatch(/docker\.sock/);
    expect(host.Binds).toBeUndefined();
  });

  it('limits memory without swap, CPU, PIDs, tmpfs sizes and logs', () => {
    expect(host.Memory).toBe(128 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(1e9);
    // Under contention a lab weighs a quarter of everything else (the server included): #13 item 6.
    expect(host.CpuShares).toBe(256);
    expect(host.PidsLimit).toBe(512);
    expect(host.Tmpfs).toEqual({ '/run': expect.stringContaining(`size=${16 * 1024 * 1024}`), '/tmp': expect.stringContaining(`size=${64 * 1024 * 1024}`) });
    expect(host.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
    expect(host.Init).toBe(false);
    expect(host.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: undefined });
  });

  it('names, hostnames and network aliases follow the node name; labels are kept', () => {
    expect(body.name).toBe('pw-lab-abcdefgh-node1');
    expect(body.Hostname).toBe('node1');
    expect(body.Labels).toMatchObject({ ...labels, 'io.packetwalk.node': 'node1', 'io.packetwalk.role': 'node' });
    expect(body.NetworkingConfig?.EndpointsConfig?.['pw-lab-abcdefgh-lan']?.Aliases).toEqual(['node1']);
    expect(host.NetworkMode).toBe('pw-lab-abcdefgh-lan');
    expect(body.Env).toEqual(expect.arrayContaining(['PACKETWALK_EGRESS=false', 'PACKETWALK_LAB=lab-abcdefgh', 'PACKETWALK_NODE=node1']));
    expect(body.StopSignal).toBe('SIGKILL');
    expect(host.DnsOptions).toEqual(['timeout:1', 'attempts:1']);
  });

  it('per-node resources override template defaults; routers forward', () => {
    const r1 = toCreateOptions(
      nodeContainerSpec({ labId: 'lab-abcdefgh', sandbox, node: sandbox.nodes[1]!, labels, containerRuntime: 'sysbox-runc' }),
    ).HostConfig!;
    expect(r1.Memory).toBe(64 * 1024 * 1024);
    expect(r1.NanoCpus).toBe(5e8);
    expect(r1.PidsLimit).toBe(100);
    expect(r1.Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(r1.Runtime).toBe('sysbox-runc');
  });

  it('a lab network without egress is internal and gives the host no address on it', () => {
    const net = labNetworkSpec({ labId: 'lab-abcdefgh', name: 'lan', egress: false, labels, subnet: '10.200.0.0/27' });
    expect(net).toMatchObject({
      name: 'pw-lab-abcdefgh-lan',
      internal: true,
      subnet: '10.200.0.0/27',
      driverOptions: { 'com.docker.network.bridge.inhibit_ipv4': 'true' },
    });
    const wan = labNetworkSpec({ labId: 'x', name: 'wan', egress: true, labels });
    expect(wan.internal).toBe(false);
    expect(wan.driverOptions).not.toHaveProperty(['com.docker.network.bridge.inhibit_ipv4']);
  });

  it('lab bridges get a predictable Linux name from the lab id and the network position, so a host rule can name them', () => {
    const first = labNetworkSpec({ labId: 'lab-abcdefgh', name: 'lan', egress: false, labels });
    const second = labNetworkSpec({ labId: 'lab-abcdefgh', name: 'wan', egress: true, labels, index: 1 });
    expect(first.driverOptions?.['com.docker.network.bridge.name']).toBe('pw-abcdefgh-0');
    expect(second.driverOptions?.['com.docker.network.bridge.name']).toBe('pw-abcdefgh-1');
  });

  it('publishes ports and anonymous volumes when asked (kind uses them)', () => {
    const b = toCreateOptions({
      name: 'n',
      image: 'i',
      labels: {},
      network: 'net',
      portBindings: [{ containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '0' }],
      volumes: ['/var'],
    });
    expect(b.ExposedPorts).toEqual({ '6443/tcp': {} });
    expect(b.HostConfig?.PortBindings).toEqual({ '6443/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] });
    expect(b.Volumes).toEqual({ '/var': {} });
  });
});
