// The kind views against Kubernetes API objects (tests/fixtures/network/kube/README.md says how they were made).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeServices, labelPods, nodeAddresses, splitKubeList } from '../../../lab-runner/network/kube-views.ts';
import { nodeTargets } from '../../../lab-runner/network/lab-network.ts';
import type { LabTarget } from '../../../lab-runner/lab/lab.ts';

const list = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/network/kube/kind-default-list.json'), 'utf8')) as unknown;

describe('kind views', () => {
  const objs = splitKubeList(list);

  it('splits the mixed List by kind', () => {
    expect([objs.nodes.items.length, objs.pods.items.length, objs.services.items.length, objs.slices.items.length]).toEqual([3, 4, 3, 2]);
    expect(nodeAddresses(objs).get('kind-worker')).toBe('172.18.0.3');
  });

  it("draws each Service port as VIP -> its EndpointSlices' endpoints, with pods and readiness; headless Services have no VIP", () => {
    const s = kubeServices(objs);
    const web = s.find((x) => x.name === 'default/web:http')!;
    expect(web).toMatchObject({ vip: '10.96.120.15', port: 80, protocol: 'tcp', source: 'kubernetes' });
    expect(web.endpoints).toEqual([
      { address: '10.244.1.5', port: 8080, pod: 'default/web-7d9c-abcde', ready: true },
      { address: '10.244.2.7', port: 8080, pod: 'default/web-7d9c-fghij', ready: false },
    ]);
    expect(
      s
        .filter((x) => x.vip === '10.96.0.10')
        .map((x) => `${x.protocol}/${x.port}`)
        .sort(),
    ).toEqual(['tcp/53', 'udp/53']);
    expect(s.some((x) => x.name?.includes('headless'))).toBe(false);
  });

  it('names a node namespace after the pod whose IP it holds, and leaves host-network pods out', () => {
    const namespaces = [
      { id: 'worker/-', node: 'worker', name: '' },
      { id: 'worker/cni-1a2b', node: 'worker', name: 'cni-1a2b' },
      { id: 'worker/cni-9z9z', node: 'worker', name: 'cni-9z9z' },
    ];
    const addrs = new Map([
      ['worker/-', ['172.18.0.3/16']],
      ['worker/cni-1a2b', ['10.244.1.5/24']],
      ['worker/cni-9z9z', ['10.244.1.99/24']],
    ]);
    const out = labelPods(namespaces, addrs, objs);
    expect(out[1]!.pod).toEqual({ name: 'web-7d9c-abcde', namespace: 'default', ip: '10.244.1.5' });
    expect(out[0]!.pod).toBeUndefined(); // kube-proxy (hostNetwork) shares the node's address
    expect(out[2]!.pod).toBeUndefined();
  });

  it("leaves finished pods out: a Succeeded pod's old IP does not take the namespace of the live pod that reuses it", () => {
    const raw = structuredClone(list) as { items: Record<string, unknown>[] };
    raw.items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'job-done', namespace: 'default' },
      spec: { nodeName: 'kind-worker' },
      status: { phase: 'Succeeded', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
    });
    const out = labelPods([{ id: 'worker/cni-1a2b', node: 'worker', name: 'cni-1a2b' }], new Map([['worker/cni-1a2b', ['10.244.1.5/24']]]), splitKubeList(raw));
    expect(out[0]!.pod).toEqual({ name: 'web-7d9c-abcde', namespace: 'default', ip: '10.244.1.5' });
  });

  it("reads each network namespace once: a toolbox sharing its worker's network is not a second node, the jumpbox is not a node", () => {
    const t = (name: string, kind: 'node' | 'jumpbox', ipv4?: string): LabTarget => ({
      name,
      kind,
      title: name,
      containerId: name,
      containerName: name,
      ...(ipv4 ? { ipv4 } : {}),
    });
    const targets = [
      t('jumpbox', 'jumpbox', '172.18.0.9'),
      t('control-plane', 'node', '172.18.0.2'),
      t('worker', 'node', '172.18.0.3'),
      t('node1', 'node', '172.18.0.3'),
    ];
    expect(nodeTargets(targets).map((x) => x.name)).toEqual(['control-plane', 'worker']);
  });
});
