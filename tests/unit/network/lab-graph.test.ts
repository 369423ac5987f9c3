// The state-to-graph model on output recorded from real labs (tests/fixtures/network/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNodeState } from '../../../lab-runner/network/node-state.ts';
import { buildLabMap } from '../../../lab-runner/network/lab-graph.ts';

const FIX = path.join(import.meta.dirname, '../../fixtures/network');
function load(file: string, node: string) {
  const j = JSON.parse(fs.readFileSync(path.join(FIX, file), 'utf8')) as { token: string; stdout: string };
  return parseNodeState(node, j.stdout, j.token);
}
const twoNodes = () => buildLabMap([load('vxlan-node1.json', 'node1'), load('vxlan-node2.json', 'node2')], { labId: 'lab-x', readAt: 1 });

describe('lab map from recorded ip/bridge/nft output', () => {
  it('parses every section without problems', () => {
    expect(load('vxlan-node1.json', 'node1').problems).toEqual([]);
    expect(load('clusterip-iptables-node1.json', 'node1').problems).toEqual([]);
  });

  it('lists nodes with their lab-network address and every namespace', () => {
    const m = twoNodes();
    expect(m.nodes).toEqual([
      { name: 'node1', address: '10.200.87.66' },
      { name: 'node2', address: '10.200.87.67' },
    ]);
    expect(
      m.namespaces
        .filter((n) => n.node === 'node2')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['', 'lonely', 'pod-a', 'pod-b']);
  });

  it('draws veth pairs across namespaces as cables (link-netnsid + peer ifindex) and inside one namespace', () => {
    const veths = twoNodes()
      .links.filter((l) => l.kind === 'veth')
      .map((l) => l.id);
    expect(veths).toContain('veth:node1/-/veth-a<>node1/pod-a/eth0');
    expect(veths).toContain('veth:node1/-/veth-b<>node1/pod-b/eth0');
    expect(veths).toContain('veth:node2/lonely/v1<>node2/lonely/v2');
    expect(veths).toHaveLength(5);
  });

  it('plugs bridge ports into their bridge and keeps addresses on the right interfaces', () => {
    const m = twoNodes();
    const ports = m.links.filter((l) => l.kind === 'bridge-port' && l.bridge === 'node1/-/br0').map((l) => (l.kind === 'bridge-port' ? l.port : ''));
    expect(ports.sort()).toEqual(['node1/-/veth-a', 'node1/-/veth-b']);
    const br0 = m.interfaces.find((i) => i.id === 'node1/-/br0')!;
    expect(br0).toMatchObject({ kind: 'bridge', state: 'up', addresses: ['10.100.1.1/24'] });
    expect(m.interfaces.find((i) => i.id === 'node1/pod-a/eth0')!.addresses[0]).toBe('10.100.1.10/24');
    expect(m.interfaces.find((i) => i.id === 'node2/pod-b/eth0')!.mtu).toBe(1400);
    expect(m.interfaces.find((i) => i.id === 'node2/pod-a/lo')!.state).toBe('down');
  });

  it("shows the VXLAN tunnel with VNI, remote and port, joined to the other node's end", () => {
    const m = twoNodes();
    expect(m.interfaces.find((i) => i.id === 'node1/-/vxlan100')!.tunnel).toEqual({
      kind: 'vxlan',
      vni: 100,
      remote: '10.200.87.67',
      port: 4789,
      device: 'eth0',
    });
    const tunnels = m.links.filter((l) => l.kind === 'tunnel');
    expect(tunnels).toHaveLength(1);
    expect(tunnels[0]).toMatchObject({ to: expect.stringMatching(/vxlan100$/), toNode: expect.stringMatching(/node[12]/) });
  });

  it("puts both nodes' eth0 on the same lab network", () => {
    const lans = twoNodes().links.filter((l) => l.kind === 'lan');
    expect(lans.map((l) => (l.kind === 'lan' ? l.network : ''))).toEqual(['10.200.87.64/27', '10.200.87.64/27']);
  });

  it('reads a tbf rate limit as an impairment and ignores plain queues', () => {
    const m = twoNodes();
    expect(m.interfaces.find((i) => i.id === 'node2/-/veth-b')!.impairment).toEqual({ kind: 'tbf', summary: 'rate 2Mbit' });
    expect(m.interfaces.find((i) => i.id === 'node1/-/veth-b')!.impairment).toBeUndefined(); // htb: a queue, not an impairment
  });

  it("turns native nft DNAT (direct and through a numgen verdict map) into VIP -> endpoint arrows, without Docker's DNS rules", () => {
    const svc = twoNodes().services.filter((s) => s.node === 'node1');
    expect(svc.find((s) => s.vip === '10.96.0.10')).toMatchObject({
      port: 80,
      protocol: 'tcp',
      source: 'nft',
      endpoints: [
        { address: '10.100.1.10', port: 8080 },
        { address: '10.100.1.11', port: 8080 },
      ],
    });
    expect(svc.find((s) => s.vip === '10.96.0.20')).toMatchObject({ port: 53, protocol: 'udp', endpoints: [{ address: '10.100.1.11', port: 53 }] });
    expect(svc.some((s) => s.vip === '127.0.0.11')).toBe(false);
  });

  it('follows kube-proxy-style iptables chains (SVC -> statistic -> SEP -> DNAT) with the Service name from the comment', () => {
    const m = buildLabMap([load('clusterip-iptables-node1.json', 'node1')], { labId: 'l', readAt: 1 });
    const api = m.services.find((s) => s.vip === '10.101.0.30')!;
    expect(api).toMatchObject({ port: 80, protocol: 'tcp', name: 'shop/api:http', source: 'iptables' });
    expect(api.endpoints.map((e) => `${e.address}:${e.port}`).sort()).toEqual(['10.100.1.31:9090', '10.100.1.32:9090']);
    expect(m.services.find((s) => s.vip === '10.101.0.20')!.endpoints).toHaveLength(3);
    // ptp wiring: five pods, five veth cables, no bridge
    expect(m.links.filter((l) => l.kind === 'veth')).toHaveLength(5);
    expect(m.links.filter((l) => l.kind === 'bridge-port')).toHaveLength(0);
  });

  it('includes routes per namespace when they were collected', () => {
    const m = buildLabMap([load('clusterip-iptables-node1.json', 'node1')], { labId: 'l', readAt: 1 });
    const client = m.namespaces.find((n) => n.name === 'client')!;
    expect(client.routes).toContainEqual(expect.objectContaining({ dst: 'default', via: '10.100.1.1', dev: 'eth0' }));
    expect(twoNodes().namespaces.find((n) => n.id === 'node2/pod-a')!.routes).toBeUndefined();
  });

  it('records a section that is not JSON as a problem and keeps the rest', () => {
    const j = JSON.parse(fs.readFileSync(path.join(FIX, 'vxlan-node1.json'), 'utf8')) as { token: string; stdout: string };
    const broken = j.stdout.replace(`${j.token} nft\n{`, `${j.token} nft\n!{`);
    const s = parseNodeState('node1', broken, j.token);
    expect(s.problems.join()).toMatch(/nft ruleset/);
    expect(s.namespaces.length).toBe(3);
  });
});
