// The kind views: Kubernetes API objects (as `kubectl get … -o json` returns them) -> map parts. Nodes by name and
// InternalIP, pods (hostNetwork ones left out: they have no namespace of their own) placed in the node namespace whose
// interface holds the pod IP, and Services -> their EndpointSlices (discovery.k8s.io/v1) as VIP -> endpoint arrows.
import { z } from 'zod';
import { nsId } from '../wire/network.ts';
import type { LabMap, MapNamespace, MapService, ServiceEndpoint } from '../wire/network.ts';

const meta = z.looseObject({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() });

export const nodeList = z.looseObject({
  items: z.array(
    z.looseObject({
      metadata: meta,
      spec: z.looseObject({ podCIDR: z.string().optional(), podCIDRs: z.array(z.string()).optional() }).optional(),
      status: z.looseObject({ addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).default([]) }).optional(),
    }),
  ),
});

export const podList = z.looseObject({
  items: z.array(
    z.looseObject({
      metadata: meta,
      spec: z.looseObject({ nodeName: z.string().optional(), hostNetwork: z.boolean().optional() }),
      status: z
        .looseObject({ podIP: z.string().optional(), podIPs: z.array(z.looseObject({ ip: z.string() })).optional(), phase: z.string().optional() })
        .optional(),
    }),
  ),
});

const servicePort = z.looseObject({
  name: z.string().optional(),
  port: z.number().int(),
  protocol: z.string().optional(),
  targetPort: z.union([z.number(), z.string()]).optional(),
});
export const serviceList = z.looseObject({
  items: z.array(
    z.looseObject({
      metadata: meta,
      spec: z.looseObject({
        type: z.string().optional(),
        clusterIP: z.string().optional(),
        clusterIPs: z.array(z.string()).optional(),
        ports: z.array(servicePort).default([]),
      }),
    }),
  ),
});

export const endpointSliceList = z.looseObject({
  items: z.array(
    z.looseObject({
      metadata: meta,
      addressType: z.string(),
      endpoints: z
        .array(
          z.looseObject({
            addresses: z.array(z.string()),
            conditions: z.looseObject({ ready: z.boolean().optional() }).optional(),
            nodeName: z.string().optional(),
            targetRef: z.looseObject({ kind: z.string().optional(), name: z.string(), namespace: z.string().optional() }).optional(),
          }),
        )
        .nullable()
        .default([]),
      ports: z
        .array(z.looseObject({ name: z.string().optional(), port: z.number().int().optional(), protocol: z.string().optional() }))
        .nullable()
        .default([]),
    }),
  ),
});

export interface KubeObjects {
  nodes: z.infer<typeof nodeList>;
  pods: z.infer<typeof podList>;
  services: z.infer<typeof serviceList>;
  slices: z.infer<typeof endpointSliceList>;
}

/** `kubectl get nodes,pods,services,endpointslices -A -o json` gives one List with every kind mixed: split it. */
export function splitKubeList(raw: unknown): KubeObjects {
  const items = z.looseObject({ items: z.array(z.looseObject({ kind: z.string() })) }).parse(raw).items;
  const of = (kind: string) => ({ items: items.filter((i) => i.kind === kind) });
  return {
    nodes: nodeList.parse(of('Node')),
    pods: podList.parse(of('Pod')),
    services: serviceList.parse(of('Service')),
    slices: endpointSliceList.parse(of('EndpointSlice')),
  };
}

/** Kubernetes node name -> InternalIP. */
export function nodeAddresses(objs: KubeObjects): Map<string, string> {
  return new Map(
    objs.nodes.items.flatMap((n) => {
      const ip = n.status?.addresses.find((a) => a.type === 'InternalIP')?.address;
      return ip ? [[n.metadata.name, ip] as [string, string]] : [];
    }),
  );
}

/**
 * Labels the map's namespaces with the pods that own them: a namespace on node N whose interfaces hold pod P's IP is
 * P's (pods on the host's network, and finished pods, own none). `ifaceAddrs` maps a namespace id to the addresses in it; `nodeOfNs` gives the Kubernetes node of a map node.
 */
export function labelPods(namespaces: MapNamespace[], ifaceAddrs: Map<string, string[]>, objs: KubeObjects): MapNamespace[] {
  const byIp = new Map<string, { name: string; namespace: string; ip: string }>();
  for (const p of objs.pods.items) {
    // A finished pod keeps its IP in status after its sandbox (and namespace) is gone, and the IP may be reused.
    if (p.spec.hostNetwork || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    for (const ip of [p.status?.podIP, ...(p.status?.podIPs ?? []).map((x) => x.ip)])
      if (ip) byIp.set(ip, { name: p.metadata.name, namespace: p.metadata.namespace ?? 'default', ip });
  }
  return namespaces.map((ns) => {
    if (ns.name === '') return ns;
    const pod = (ifaceAddrs.get(ns.id) ?? []).map((a) => byIp.get(a.split('/')[0]!)).find(Boolean);
    return pod ? { ...ns, pod } : ns;
  });
}

/** Services with a cluster IP -> one arrow set per port, endpoints from the Service's EndpointSlices. */
export function kubeServices(objs: KubeObjects): MapService[] {
  const out: MapService[] = [];
  for (const svc of objs.services.items) {
    const vip = svc.spec.clusterIP;
    if (!vip || vip === 'None') continue;
    const ns = svc.metadata.namespace ?? 'default';
    const slices = objs.slices.items.filter(
      (s) => (s.metadata.namespace ?? 'default') === ns && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
    );
    for (const port of svc.spec.ports.length ? svc.spec.ports : [undefined]) {
      const endpoints: ServiceEndpoint[] = slices.flatMap((s) => {
        const sp = (s.ports ?? []).find((p) => (p.name ?? '') === (port?.name ?? ''));
        return (s.endpoints ?? []).flatMap((e) =>
          e.addresses.map((address) => ({
            address,
            ...(sp?.port !== undefined ? { port: sp.port } : {}),
            ...(e.targetRef?.kind === 'Pod' ? { pod: `${e.targetRef.namespace ?? ns}/${e.targetRef.name}` } : {}),
            // An endpoint without conditions.ready is ready (the API's documented default for nil).
            ready: e.conditions?.ready !== false,
          })),
        );
      });
      out.push({
        id: `k8s/${ns}/${svc.metadata.name}/${port?.name ?? port?.port ?? '-'}`,
        node: 'cluster',
        vip,
        ...(port ? { port: port.port, protocol: (port.protocol ?? 'TCP').toLowerCase() } : {}),
        name: `${ns}/${svc.metadata.name}${port?.name ? `:${port.name}` : ''}`,
        endpoints,
        source: 'kubernetes',
      });
    }
  }
  return out;
}

/**
 * A node-level map with the kind views laid over it: pods on the namespaces that hold their IPs, and the API's
 * Services in place of the iptables portals kube-proxy wrote for them (the unnamed iptables ones stay).
 */
export function withKubeViews(map: LabMap, objs: KubeObjects): LabMap {
  const addrs = new Map<string, string[]>();
  for (const i of map.interfaces) addrs.set(nsId(i.node, i.ns), [...(addrs.get(nsId(i.node, i.ns)) ?? []), ...i.addresses]);
  return {
    ...map,
    namespaces: labelPods(map.namespaces, addrs, objs),
    services: [...map.services.filter((s) => s.source !== 'iptables' || !s.name), ...kubeServices(objs)],
  };
}
