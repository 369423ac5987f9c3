// The map's drawing model: boxes nested node > namespace > interface, cables as lines, the structure key that decides
// when the layout runs again (a new address must not move anything; a new interface must).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { structureKey, toGraph } from '../../../app/_components/map/map-graph.ts';
import { buildLabMap } from '../../../lab-runner/network/lab-graph.ts';
import { parseNodeState } from '../../../lab-runner/network/node-state.ts';

const FIX = path.join(import.meta.dirname, '../../fixtures/network');
const load = (file: string, node: string) => {
  const j = JSON.parse(fs.readFileSync(path.join(FIX, file), 'utf8')) as { token: string; stdout: string };
  return parseNodeState(node, j.stdout, j.token);
};
const map = () => buildLabMap([load('vxlan-node1.json', 'node1'), load('vxlan-node2.json', 'node2')], { labId: 'l', readAt: 1 });

describe('map graph', () => {
  it('nests interfaces in namespaces in nodes, hides loopbacks unless asked, and draws the tunnel with its VNI', () => {
    const g = toGraph(map(), { showLoopback: false });
    expect(g.boxes.find((b) => b.id === 'node1/pod-a/eth0')!.parent).toBe('ns:node1/pod-a');
    expect(g.boxes.find((b) => b.id === 'ns:node1/pod-a')!.parent).toBe('node:node1');
    expect(g.boxes.some((b) => b.iface?.kind === 'loopback')).toBe(false);
    expect(toGraph(map(), { showLoopback: true }).boxes.some((b) => b.iface?.kind === 'loopback')).toBe(true);
    expect(g.lines.find((l) => l.kind === 'tunnel')!.label).toBe('VNI 100');
    expect(g.boxes.filter((b) => b.kind === 'lan')).toHaveLength(1);
    const svc = g.boxes.find((b) => b.service?.vip === '10.96.0.10' && b.parent === 'node:node1')!;
    expect(
      g.lines
        .filter((l) => l.source === svc.id)
        .map((l) => l.target)
        .sort(),
    ).toEqual(['node1/pod-a/eth0', 'node1/pod-b/eth0']);
  });

  it('keeps the structure key for a changed address or state, changes it for a new interface', () => {
    const a = map();
    const key = structureKey(toGraph(a, { showLoopback: false }));
    const b = structuredClone(a);
    b.interfaces.find((i) => i.id === 'node1/-/br0')!.addresses = ['10.100.9.1/24'];
    b.interfaces.find((i) => i.id === 'node1/-/br0')!.state = 'down';
    expect(structureKey(toGraph(b, { showLoopback: false }))).toBe(key);
    const c = structuredClone(a);
    c.interfaces.push({ ...c.interfaces.find((i) => i.id === 'node1/-/br0')!, id: 'node1/-/br1', name: 'br1' });
    expect(structureKey(toGraph(c, { showLoopback: false }))).not.toBe(key);
  });
});
