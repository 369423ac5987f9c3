// The kind-view invariants (kube-view-invariants.ts) can fail: each rule is shown catching a deliberately broken copy
// of the hand-written objects (tests/fixtures/network/kube/kind-default-list.json), so that a green run on recorded
// clusters (kube-views-recorded.test.ts) means something. The node side is a small hand-built map: three kind nodes
// by their InternalIPs and one network namespace per pod IP.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitKubeList, withKubeViews } from '../../../lab-runner/network/kube-views.ts';
import type { LabMap, MapInterface } from '../../../lab-runner/wire/network.ts';
import { kubeViewViolations } from './kube-view-invariants.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- mutating raw API JSON
const handWritten = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/network/kube/kind-default-list.json'), 'utf8')) as {
  items: Json[];
};
const copy = () => structuredClone(handWritten);
const find = (list: { items: Json[] }, kind: string, name: string) => list.items.find((i) => i.kind === kind && i.metadata.name === name)!;

/** The hand-written objects made consistent the way a real cluster is: pods carry Ready, kube-dns selects CoreDNS. */
function consistent() {
  const list = copy();
  const ready = (name: string, status: 'True' | 'False') => (find(list, 'Pod', name).status.conditions = [{ type: 'Ready', status }]);
  ready('web-7d9c-abcde', 'True');
  ready('web-7d9c-fghij', 'False');
  ready('coredns-5d78-k2x9p', 'True');
  ready('kube-proxy-x8q2w', 'True');
  find(list, 'Pod', 'coredns-5d78-k2x9p').metadata.labels = { app: 'kube-dns' };
  return list;
}

const iface = (node: string, ns: string, address: string): MapInterface => ({
  id: `${node}/${ns || '-'}/eth0`,
  node,
  ns,
  name: 'eth0',
  ifindex: 2,
  kind: 'veth',
  state: 'up',
  addresses: [address],
});
/** Nodes control-plane, worker, worker2 at the fixture's InternalIPs; a namespace per pod IP where `pods` puts it. */
function mapFor(
  list: unknown,
  pods: Record<string, string> = { 'worker/cni-a': '10.244.1.5/24', 'worker2/cni-b': '10.244.2.7/24', 'control-plane/cni-c': '10.244.0.3/24' },
): LabMap {
  const nodes = { 'control-plane': '172.18.0.2/16', worker: '172.18.0.3/16', worker2: '172.18.0.4/16' };
  const interfaces = [
    ...Object.entries(nodes).map(([n, a]) => iface(n, '', a)),
    ...Object.entries(pods).map(([id, a]) => iface(id.split('/')[0]!, id.split('/')[1]!, a)),
  ];
  const base: LabMap = {
    labId: 'invariants',
    readAt: 0,
    nodes: Object.entries(nodes).map(([name, a]) => ({ name, address: a.split('/')[0] })),
    namespaces: [
      ...Object.keys(nodes).map((n) => ({ id: `${n}/-`, node: n, name: '' })),
      ...Object.keys(pods).map((id) => ({ id, node: id.split('/')[0]!, name: id.split('/')[1]! })),
    ],
    interfaces,
    links: [],
    services: [],
  };
  return withKubeViews(base, splitKubeList(list));
}
const violations = (list: unknown, map = mapFor(list), counts?: Parameters<typeof kubeViewViolations>[2]) =>
  kubeViewViolations(splitKubeList(list), map, counts);

describe('kind-view invariants', () => {
  it('hold on consistent objects', () => {
    expect(violations(consistent(), undefined, { nodes: 3, pods: 4, services: 3, endpointSlices: 2 })).toEqual([]);
  });

  it('catch what the hand-written fixture gets wrong: no Ready conditions, and a kube-dns selector that selects no CoreDNS pod', () => {
    expect(violations(copy())).toEqual([
      'Service default/web: ready endpoints 10.244.1.5, but its selected Ready pods are none',
      'Service kube-system/kube-dns: ready endpoints 10.244.0.3, but its selected Ready pods are none',
    ]);
  });

  it('catch counts that differ from the manifest', () => {
    expect(violations(consistent(), undefined, { nodes: 3, pods: 5, services: 3, endpointSlices: 2 })).toEqual([
      'count of pods: 4 objects, the manifest says 5',
    ]);
  });

  it('catch a pod that is not under its node, and a pod the map cannot place at all', () => {
    const moved = consistent();
    find(moved, 'Pod', 'web-7d9c-abcde').spec.nodeName = 'kind-worker2';
    expect(violations(moved)).toEqual([
      'pod default/web-7d9c-abcde (10.244.1.5) on kind-worker2 should be on one namespace of map node worker2; it is on worker/cni-a',
    ]);
    expect(violations(consistent(), mapFor(consistent(), { 'worker2/cni-b': '10.244.2.7/24', 'control-plane/cni-c': '10.244.0.3/24' }))).toEqual([
      'pod default/web-7d9c-abcde (10.244.1.5) on kind-worker should be on one namespace of map node worker; it is on none',
    ]);
  });

  it('catch a map node that is no Kubernetes node, and a pod on a node that does not exist', () => {
    const map = mapFor(consistent());
    map.nodes.push({ name: 'stranger' });
    expect(violations(consistent(), map)).toEqual(['map node stranger is 0 Kubernetes nodes (none), not one']);
    const orphan = consistent();
    find(orphan, 'Pod', 'web-7d9c-fghij').spec.nodeName = 'kind-worker9';
    expect(violations(orphan)).toContain('pod default/web-7d9c-fghij (10.244.2.7) is on node "kind-worker9", which is not a Node with an InternalIP');
  });

  it('catch EndpointSlices that disagree with the pods: a Ready pod left out, an endpoint to a pod that is gone', () => {
    const missing = consistent();
    find(missing, 'EndpointSlice', 'web-x7k2p').endpoints.shift();
    expect(violations(missing)).toEqual(['Service default/web: ready endpoints none, but its selected Ready pods are 10.244.1.5']);
    const ghost = consistent();
    find(ghost, 'EndpointSlice', 'web-x7k2p').endpoints.push({
      addresses: ['10.244.9.9'],
      conditions: { ready: false },
      targetRef: { kind: 'Pod', name: 'ghost', namespace: 'default' },
    });
    expect(violations(ghost)).toEqual([
      'default/web:http: arrow to pod default/ghost, which does not exist',
      "default/web:http: arrow to 10.244.9.9, neither a pod's nor a node's address",
    ]);
  });

  it('catch a model that draws other arrows than the EndpointSlices hold, twice, or for no Service', () => {
    const list = consistent();
    const map = mapFor(list);
    const web = map.services.find((s) => s.name === 'default/web:http')!;
    web.endpoints = web.endpoints.slice(1);
    expect(violations(list, map)).toEqual(['default/web:http: arrows to 10.244.2.7 (not ready), its EndpointSlices hold 10.244.1.5, 10.244.2.7 (not ready)']);
    const twice = mapFor(list);
    const w = twice.services.find((s) => s.name === 'default/web:http')!;
    w.endpoints = [...w.endpoints, w.endpoints[0]!];
    expect(violations(list, twice)).toEqual(['default/web:http: more than one arrow to 10.244.1.5']);
    const extra = mapFor(list);
    extra.services.push({ ...w, id: 'k8s/default/gone/-', name: 'default/gone' });
    expect(violations(list, extra)).toEqual(['arrows default/gone belong to no Service']);
  });
});
