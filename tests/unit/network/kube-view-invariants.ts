// What must hold of the map's kind views on any real cluster, as a list of violations (empty: all hold). Checked on
// recordings made by lab-runner/network/kube-record.ts (kube-views-recorded.test.ts) and, to show each rule can
// fail, on deliberately broken objects (kube-view-invariants.test.ts). Everything here is computed from the raw API
// objects independently of kube-views.ts, then compared with what the model drew.
import { z } from 'zod';
import { nodeAddresses, type KubeObjects } from '../../../lab-runner/network/kube-views.ts';
import type { LabMap } from '../../../lab-runner/wire/network.ts';

const pod = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().default('default'),
    labels: z.record(z.string(), z.string()).default({}),
    deletionTimestamp: z.string().optional(),
  }),
  spec: z.looseObject({ nodeName: z.string().optional(), hostNetwork: z.boolean().optional() }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      podIP: z.string().optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
    })
    .default({}),
});
const service = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string().default('default') }),
  spec: z.looseObject({
    clusterIP: z.string().optional(),
    selector: z.record(z.string(), z.string()).optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    ports: z.array(z.looseObject({ name: z.string().optional(), port: z.number() })).default([]),
  }),
});

/** The map node (by name) whose own namespace holds each Kubernetes node's InternalIP. */
function mapNodeOfKubeNode(map: LabMap, objs: KubeObjects): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [kubeNode, ip] of nodeAddresses(objs)) {
    const holders = [...new Set(map.interfaces.filter((i) => i.ns === '' && i.addresses.some((a) => a.split('/')[0] === ip)).map((i) => i.node))];
    out.set(kubeNode, holders);
  }
  return out;
}

/** A pod whose sandbox (and so its network namespace) exists: it has an IP and is neither finished nor going. */
const livePodNetwork = (p: z.infer<typeof pod>) =>
  !p.spec.hostNetwork && !!p.status.podIP && !p.metadata.deletionTimestamp && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed';
const isReady = (p: z.infer<typeof pod>) =>
  p.status.phase === 'Running' && !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

export function kubeViewViolations(
  objs: KubeObjects,
  map: LabMap,
  expectedCounts?: Record<'nodes' | 'pods' | 'services' | 'endpointSlices', number>,
): string[] {
  const v: string[] = [];
  const pods = objs.pods.items.map((p) => pod.parse(p));
  const nodeIps = nodeAddresses(objs);

  // Counts: the objects are the ones the manifest describes.
  if (expectedCounts) {
    const got = { nodes: objs.nodes.items.length, pods: pods.length, services: objs.services.items.length, endpointSlices: objs.slices.items.length };
    for (const k of Object.keys(got) as (keyof typeof got)[])
      if (got[k] !== expectedCounts[k]) v.push(`count of ${k}: ${got[k]} objects, the manifest says ${expectedCounts[k]}`);
  }

  // Nodes: every node the map read is exactly one Kubernetes node, by its InternalIP.
  const holders = mapNodeOfKubeNode(map, objs);
  for (const n of map.nodes) {
    const kubeNodes = [...holders].filter(([, h]) => h.includes(n.name)).map(([k]) => k);
    if (kubeNodes.length !== 1) v.push(`map node ${n.name} is ${kubeNodes.length} Kubernetes nodes (${kubeNodes.join(', ') || 'none'}), not one`);
  }
  for (const [k, h] of holders) if (h.length > 1) v.push(`Kubernetes node ${k} (${nodeIps.get(k)}) is held by ${h.length} map nodes: ${h.join(', ')}`);

  // Pods: every pod with its own network, on a node the map read, is on exactly one namespace of that node.
  const labelled = map.namespaces.filter((ns) => ns.pod);
  for (const p of pods.filter(livePodNetwork)) {
    const id = `${p.metadata.namespace}/${p.metadata.name}`;
    const mapNode = p.spec.nodeName ? holders.get(p.spec.nodeName)?.[0] : undefined;
    if (!p.spec.nodeName || !nodeIps.has(p.spec.nodeName)) {
      v.push(`pod ${id} (${p.status.podIP}) is on node "${p.spec.nodeName ?? ''}", which is not a Node with an InternalIP`);
      continue;
    }
    if (!mapNode) continue; // a Kubernetes node that is no lab target: the map does not read it
    const on = labelled.filter((ns) => ns.pod!.name === p.metadata.name && ns.pod!.namespace === p.metadata.namespace);
    if (on.length !== 1 || on[0]!.node !== mapNode || on[0]!.pod!.ip !== p.status.podIP)
      v.push(
        `pod ${id} (${p.status.podIP}) on ${p.spec.nodeName} should be on one namespace of map node ${mapNode}; it is on ${on.map((ns) => ns.id).join(', ') || 'none'}`,
      );
  }
  // ...and no namespace names a pod that is not there (or one with the host's network).
  for (const ns of labelled) {
    const p = pods.find((x) => x.metadata.name === ns.pod!.name && x.metadata.namespace === ns.pod!.namespace);
    if (!p || p.spec.hostNetwork)
      v.push(`namespace ${ns.id} names pod ${ns.pod!.namespace}/${ns.pod!.name}, which ${p ? 'uses the host network' : 'does not exist'}`);
  }

  // Services: each port's arrows go to exactly the addresses in the Service's EndpointSlices...
  const podIps = new Set(pods.flatMap((p) => (p.status.podIP ? [p.status.podIP] : [])));
  const drawn = map.services.filter((s) => s.source === 'kubernetes');
  for (const raw of objs.services.items) {
    const svc = service.parse(raw);
    const sid = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const vip = svc.spec.clusterIP;
    const arrows = drawn.filter((s) => s.name === sid || s.name?.startsWith(`${sid}:`));
    if (!vip || vip === 'None') {
      if (arrows.length) v.push(`headless Service ${sid} has arrows`);
      continue;
    }
    const slices = objs.slices.items.filter(
      (s) => (s.metadata.namespace ?? 'default') === svc.metadata.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
    );
    const inSlices = new Map<string, boolean>();
    for (const s of slices) for (const e of s.endpoints ?? []) for (const a of e.addresses) inSlices.set(a, e.conditions?.ready !== false);
    const ports = svc.spec.ports.length ? svc.spec.ports.length : 1;
    if (arrows.length !== ports) v.push(`Service ${sid} has ${ports} port(s) but ${arrows.length} arrow sets`);
    for (const a of arrows) {
      if (a.vip !== vip) v.push(`${a.name}: VIP ${a.vip}, the Service says ${vip}`);
      const to = new Map(a.endpoints.map((e) => [e.address, e.ready !== false]));
      // Two host-network pods on one node share an address; one endpoint (address and pod) is drawn once.
      const drawnTwice = a.endpoints.filter((e, i) => a.endpoints.findIndex((x) => x.address === e.address && x.pod === e.pod) !== i);
      if (drawnTwice.length) v.push(`${a.name}: more than one arrow to ${drawnTwice.map((e) => e.address).join(', ')}`);
      if (JSON.stringify([...to].sort()) !== JSON.stringify([...inSlices].sort()))
        v.push(`${a.name}: arrows to ${fmt(to)}, its EndpointSlices hold ${fmt(inSlices)}`);
      // No dangling arrows: an arrow ends at a pod (that exists) or at a node (host-network endpoints).
      for (const e of a.endpoints) {
        if (e.pod && !pods.some((p) => `${p.metadata.namespace}/${p.metadata.name}` === e.pod))
          v.push(`${a.name}: arrow to pod ${e.pod}, which does not exist`);
        if (!podIps.has(e.address) && ![...nodeIps.values()].includes(e.address))
          v.push(`${a.name}: arrow to ${e.address}, neither a pod's nor a node's address`);
      }
    }
    // ...and for a Service with a selector, the ready ones are exactly its selected Ready pods (one settled moment).
    if (svc.spec.selector && Object.keys(svc.spec.selector).length && !svc.spec.publishNotReadyAddresses) {
      const sel = Object.entries(svc.spec.selector);
      const readyPods = pods
        .filter((p) => p.metadata.namespace === svc.metadata.namespace && sel.every(([k, val]) => p.metadata.labels[k] === val) && isReady(p))
        .map((p) => p.status.podIP!)
        .filter((ip, i, all) => all.indexOf(ip) === i)
        .sort();
      const readyInSlices = [...inSlices].filter(([, r]) => r).map(([a]) => a);
      if (JSON.stringify(readyPods) !== JSON.stringify(readyInSlices.sort()))
        v.push(`Service ${sid}: ready endpoints ${readyInSlices.join(', ') || 'none'}, but its selected Ready pods are ${readyPods.join(', ') || 'none'}`);
    }
  }
  // No arrows for a Service that is not in the objects.
  for (const a of drawn)
    if (
      !objs.services.items.some(
        (s) =>
          a.name === `${s.metadata.namespace ?? 'default'}/${s.metadata.name}` ||
          a.name?.startsWith(`${s.metadata.namespace ?? 'default'}/${s.metadata.name}:`),
      )
    )
      v.push(`arrows ${a.name} belong to no Service`);
  return v;
}

const fmt = (m: Map<string, boolean>) =>
  [...m]
    .sort()
    .map(([a, r]) => `${a}${r ? '' : ' (not ready)'}`)
    .join(', ') || 'nothing';
