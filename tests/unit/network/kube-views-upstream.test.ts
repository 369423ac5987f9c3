// The kind views against the Kubernetes API's own JSON: k8s.io/api's serialisation test data of the release a pinned
// node image runs (one Node, Pod, Service and EndpointSlice with every field set, written by the API's encoder). No
// cluster runs here, so this is where the views meet real API output: each schema must take a fully set object, and
// each view must read its fields where the API puts them. Without PACKETWALK_K8S_API_TESTDATA it skips and says why.
import { describe, expect, it } from 'vitest';
import { kubeServices, labelPods, nodeAddresses, splitKubeList } from '../../../lab-runner/network/kube-views.ts';
import { K8S_API_TESTDATA, K8S_API_TESTDATA_MISSING, testdataFile, testdataRelease, upstreamObject, type ApiObject } from '../_lib/k8s-api-testdata.ts';

// The parts of each object the views key on; everything else stays as upstream wrote it.
interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}
interface Node {
  metadata: Meta;
  status: { addresses: { type: string; address: string }[] };
}
interface Pod {
  metadata: Meta;
  spec: { hostNetwork?: boolean };
  status: { phase?: string; podIP?: string; podIPs?: { ip: string }[] };
}
interface Service {
  metadata: Meta;
  spec: { type?: string; clusterIP?: string; clusterIPs?: string[]; ports: { name?: string; port: number; protocol?: string }[] };
}
interface Slice {
  metadata: Meta;
  addressType: string;
  endpoints: { addresses: string[]; conditions?: { ready?: boolean }; targetRef?: { kind?: string; name: string; namespace?: string } }[];
  ports: { name?: string; port?: number; protocol?: string }[];
}

/** What `kubectl get nodes,pods,services,endpointslices -A -o json` prints: one List, every kind mixed. */
const kubectlList = (...items: object[]) => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });

describe('kind views on the Kubernetes API JSON of a pinned release', () => {
  const dir = K8S_API_TESTDATA;
  if (!dir) {
    it('parses and reads k8s.io/api test data', (ctx) => ctx.skip(K8S_API_TESTDATA_MISSING));
    return;
  }
  const release = testdataRelease(dir);
  const load = (apiVersion: string, kind: string): ApiObject => {
    // Set but incomplete is a fetch that went wrong: fail, never pass on nothing.
    const obj = upstreamObject(dir, apiVersion, kind);
    if (!obj) throw new Error(`${testdataFile(apiVersion, kind)} is not in ${dir} (${release})`);
    return obj;
  };
  const upstream = {
    node: load('v1', 'Node'),
    pod: load('v1', 'Pod'),
    service: load('v1', 'Service'),
    slice: load('discovery.k8s.io/v1', 'EndpointSlice'),
  };
  const copy = {
    node: () => structuredClone(upstream.node) as unknown as Node,
    pod: () => structuredClone(upstream.pod) as unknown as Pod,
    service: () => structuredClone(upstream.service) as unknown as Service,
    slice: () => structuredClone(upstream.slice) as unknown as Slice,
  };

  /** Upstream's objects with only the fields the views key on set to a kind cluster's values: web (10.96.120.15:80) -> one pod. */
  function realistic() {
    const node = copy.node();
    node.metadata.name = 'kind-worker';
    node.status.addresses[0]!.type = 'InternalIP';
    node.status.addresses[0]!.address = '172.18.0.3';

    const pod = copy.pod();
    Object.assign(pod.metadata, { name: 'web-7d9c-abcde', namespace: 'default' });
    pod.spec.hostNetwork = false;
    Object.assign(pod.status, { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] });

    const service = copy.service();
    Object.assign(service.metadata, { name: 'web', namespace: 'default' });
    Object.assign(service.spec, { type: 'ClusterIP', clusterIP: '10.96.120.15', clusterIPs: ['10.96.120.15'] });
    Object.assign(service.spec.ports[0]!, { name: 'http', port: 80, protocol: 'TCP' });

    const slice = copy.slice();
    Object.assign(slice.metadata, { name: 'web-x7k2p', namespace: 'default' });
    slice.metadata.labels!['kubernetes.io/service-name'] = 'web';
    slice.addressType = 'IPv4';
    slice.endpoints[0]!.addresses = ['10.244.1.5'];
    Object.assign(slice.endpoints[0]!.targetRef!, { kind: 'Pod', name: 'web-7d9c-abcde', namespace: 'default' });
    Object.assign(slice.ports[0]!, { name: 'http', port: 8080, protocol: 'TCP' });
    return { node, pod, service, slice };
  }

  // The kind cluster's worker: its node namespace, the web pod's namespace, and one that holds no pod's IP.
  const namespaces = [
    { id: 'kind-worker/-', node: 'kind-worker', name: '' },
    { id: 'kind-worker/cni-1a2b', node: 'kind-worker', name: 'cni-1a2b' },
    { id: 'kind-worker/cni-9z9z', node: 'kind-worker', name: 'cni-9z9z' },
  ];
  const addrs = new Map([
    ['kind-worker/-', ['172.18.0.3/16']],
    ['kind-worker/cni-1a2b', ['10.244.1.5/24']],
    ['kind-worker/cni-9z9z', ['10.244.1.99/24']],
  ]);
  const podOf = (objs: ReturnType<typeof splitKubeList>) => labelPods(namespaces, addrs, objs).map((ns) => ns.pod);

  it(`splits a kubectl List of ${release}'s fully set Node, Pod, Service and EndpointSlice, keeping every field`, () => {
    const objs = splitKubeList(kubectlList(upstream.node, upstream.pod, upstream.service, upstream.slice));
    expect([objs.nodes.items.length, objs.pods.items.length, objs.services.items.length, objs.slices.items.length]).toEqual([1, 1, 1, 1]);
    // Nothing stripped, defaulted or coerced: hints.forNodes, nodePort, appProtocol, hostIPs and the rest come through.
    expect(objs.nodes.items[0]).toEqual(upstream.node);
    expect(objs.pods.items[0]).toEqual(upstream.pod);
    expect(objs.services.items[0]).toEqual(upstream.service);
    expect(objs.slices.items[0]).toEqual(upstream.slice);
  });

  it(`reads ${release}'s fields where the API puts them: node InternalIP, Service port -> EndpointSlice endpoint, pod IP`, () => {
    const { node, pod, service, slice } = realistic();
    const objs = splitKubeList(kubectlList(node, pod, service, slice));
    expect(nodeAddresses(objs)).toEqual(new Map([['kind-worker', '172.18.0.3']]));
    expect(kubeServices(objs)).toEqual([
      {
        id: 'k8s/default/web/http',
        node: 'cluster',
        vip: '10.96.120.15',
        port: 80,
        protocol: 'tcp',
        name: 'default/web:http',
        // The endpoint port is the slice's (8080), not the Service's named targetPort upstream left in place.
        endpoints: [{ address: '10.244.1.5', port: 8080, pod: 'default/web-7d9c-abcde', ready: true }],
        source: 'kubernetes',
      },
    ]);
    expect(podOf(objs)).toEqual([undefined, { name: 'web-7d9c-abcde', namespace: 'default', ip: '10.244.1.5' }, undefined]);
  });

  it(`${release} as written: its host-network pod owns no namespace; the same pod off the host network owns the ones holding its IPs`, () => {
    // Upstream's Pod has spec.hostNetwork true, status.podIP "podIPValue" and status.podIPs [{ip: "ipValue"}].
    const held = [
      { id: 'n/a', node: 'n', name: 'a' },
      { id: 'n/b', node: 'n', name: 'b' },
    ];
    const ips = new Map([
      ['n/a', ['podIPValue']],
      ['n/b', ['ipValue']],
    ]);
    expect((upstream.pod as unknown as Pod).spec.hostNetwork).toBe(true);
    expect(labelPods(held, ips, splitKubeList(kubectlList(upstream.pod))).map((ns) => ns.pod)).toEqual([undefined, undefined]);
    const offHost = copy.pod();
    offHost.spec.hostNetwork = false;
    expect(labelPods(held, ips, splitKubeList(kubectlList(offHost))).map((ns) => ns.pod)).toEqual([
      { name: 'nameValue', namespace: 'namespaceValue', ip: 'podIPValue' },
      { name: 'nameValue', namespace: 'namespaceValue', ip: 'ipValue' },
    ]);
  });

  it(`${release} as written: a node address of another type is no InternalIP, and a slice without the service-name label is no Service's`, () => {
    const objs = splitKubeList(kubectlList(upstream.node, upstream.service, upstream.slice));
    expect(nodeAddresses(objs).size).toBe(0); // status.addresses[0].type is "typeValue"
    // Same namespace, matching port names, but upstream's slice labels are only {labelsKey: labelsValue}.
    expect(kubeServices(objs)).toEqual([
      {
        id: 'k8s/namespaceValue/nameValue/nameValue',
        node: 'cluster',
        vip: 'clusterIPValue',
        port: 3,
        protocol: 'protocolvalue',
        name: 'namespaceValue/nameValue:nameValue',
        endpoints: [],
        source: 'kubernetes',
      },
    ]);
  });

  it("follows the endpoint's conditions.ready (absent means ready) and names a pod only for a Pod targetRef", () => {
    const endpointsWith = (edit: (s: Slice) => void) => {
      const { node, pod, service, slice } = realistic();
      edit(slice);
      return kubeServices(splitKubeList(kubectlList(node, pod, service, slice)))[0]!.endpoints;
    };
    expect(
      endpointsWith((s) => {
        s.endpoints[0]!.conditions!.ready = false;
      }),
    ).toEqual([{ address: '10.244.1.5', port: 8080, pod: 'default/web-7d9c-abcde', ready: false }]);
    expect(
      endpointsWith((s) => {
        delete s.endpoints[0]!.conditions;
      }),
    ).toEqual([{ address: '10.244.1.5', port: 8080, pod: 'default/web-7d9c-abcde', ready: true }]);
    expect(
      endpointsWith((s) => {
        s.endpoints[0]!.targetRef!.kind = 'kindValue'; // upstream's kind
      }),
    ).toEqual([{ address: '10.244.1.5', port: 8080, ready: true }]);
    expect(
      endpointsWith((s) => {
        s.metadata.labels!['kubernetes.io/service-name'] = 'other';
      }),
    ).toEqual([]);
  });

  it("leaves a finished pod out, and draws no Service for a headless one (clusterIP 'None')", () => {
    const { node, pod, service, slice } = realistic();
    pod.status.phase = 'Succeeded';
    service.spec.clusterIP = 'None';
    service.spec.clusterIPs = ['None'];
    const objs = splitKubeList(kubectlList(node, pod, service, slice));
    expect(podOf(objs)).toEqual([undefined, undefined, undefined]);
    expect(kubeServices(objs)).toEqual([]);
  });
});
