import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKindTemplate, validateKindTemplate, KindTemplateError } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { jumpboxContainerSpec } from '../../../lab-runner/kind/jumpbox.ts';
import { optionsForLabRuntime } from '../../../lab-runner/kind/kind-provisioner.ts';
import { PINNED_NODE_IMAGES, DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';

const sandboxes = path.join(import.meta.dirname, '../../../sandboxes');
const kindYaml = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n';

describe('kind sandbox templates', () => {
  it.each(['kind-default', 'kind-no-cni', 'kind-nftables', 'kind-no-kube-proxy'])(
    '%s loads, pins its image, offers node shells and maps node1/node2 to toolboxes on the workers',
    async (name) => {
      const t = await loadKindTemplate(path.join(sandboxes, name, 'sandbox.yaml'));
      expect(t.name).toBe(name);
      expect(t.runtime).toBe('kind');
      expect(PINNED_NODE_IMAGES.map((p) => p.ref)).toContain(t.nodeImage);
      expect(t.nodeImage).toBe(DEFAULT_NODE_IMAGE);
      // The targets the kind lessons use, and the ones the bare-node lessons use.
      expect(t.targets.map((x) => x.name).sort()).toEqual(['control-plane', 'jumpbox', 'node1', 'node2', 'worker', 'worker2']);
      expect(t.targets.find((x) => x.name === 'worker')).toMatchObject({ kind: 'node', node: 'worker' });
      expect(t.targets.find((x) => x.name === 'worker2')).toMatchObject({ kind: 'node', node: 'worker2' });
      expect(t.targets.find((x) => x.name === 'control-plane')).toMatchObject({ kind: 'node', node: 'control-plane' });
      expect(t.targets.find((x) => x.name === 'node1')).toMatchObject({ kind: 'toolbox', node: 'worker' });
      expect(t.targets.find((x) => x.name === 'node2')).toMatchObject({ kind: 'toolbox', node: 'worker2' });
      // The learner owns ~/.kube (0700) on the jumpbox: every exec there runs as learner.
      expect(t.targets[0]).toMatchObject({ name: 'jumpbox', kind: 'jumpbox', user: 'learner' });
      expect(t.preloadImages).toEqual(expect.arrayContaining(['registry.k8s.io/e2e-test-images/agnhost:2.53', 'nicolaka/netshoot:v0.13']));
    },
  );

  it('kind-default preloads what its lessons run (NodeLocal DNSCache, Traefik) and ships the jumpbox manifests folder', async () => {
    const t = await loadKindTemplate(path.join(sandboxes, 'kind-default', 'sandbox.yaml'));
    expect(t.preloadImages).toEqual(expect.arrayContaining(['registry.k8s.io/dns/k8s-dns-node-cache:1.26.4', 'docker.io/library/traefik:v3.6']));
    expect(t.files.map((f) => f.relativePath)).toContain('manifests/README.md');
    expect(t.files.every((f) => f.bytes > 0)).toBe(true);
  });

  it('kind-no-cni keeps its CNI off; kind-no-kube-proxy keeps kindnet and drops kube-proxy', async () => {
    const noCni = await loadKindTemplate(path.join(sandboxes, 'kind-no-cni', 'sandbox.yaml'));
    expect(noCni.cluster.networking.disableDefaultCNI).toBe(true);
    const noProxy = await loadKindTemplate(path.join(sandboxes, 'kind-no-kube-proxy', 'sandbox.yaml'));
    expect(noProxy.cluster.networking.disableDefaultCNI).toBe(false);
    expect(noProxy.cluster.networking.kubeProxyMode).toBe('none');
  });

  const base = { name: 'kind-x', title: 'x', runtime: 'kind', nodeImage: DEFAULT_NODE_IMAGE, targets: [{ name: 'jumpbox', kind: 'jumpbox' }] };
  it('rejects a node or toolbox target the cluster does not have', () => {
    const raw = { ...base, targets: [{ name: 'node2', kind: 'node', node: 'worker2' }] };
    expect(() => validateKindTemplate(raw, kindYaml, '/s/kind-x/sandbox.yaml')).toThrow(
      /target "node2" maps to kind node "worker2", but kind.yaml only has control-plane, worker/,
    );
    const toolbox = { ...base, targets: [{ name: 'node2', kind: 'toolbox', node: 'worker2' }] };
    expect(() => validateKindTemplate(toolbox, kindYaml, '/s/kind-x/sandbox.yaml')).toThrow(/target "node2" maps to kind node "worker2"/);
  });
  it('defaults the jumpbox user to learner, takes an explicit one, and rejects a user name that is not one', () => {
    expect(validateKindTemplate(base, kindYaml, '/s/kind-x/sandbox.yaml').targets[0]).toMatchObject({ user: 'learner' });
    expect(validateKindTemplate({ ...base, targets: [{ name: 'jumpbox', kind: 'jumpbox', user: 'student' }] }, kindYaml, 'f.yaml').targets[0]).toMatchObject({
      user: 'student',
    });
    expect(() => validateKindTemplate({ ...base, targets: [{ name: 'jumpbox', kind: 'jumpbox', user: 'root; rm' }] }, kindYaml, 'f.yaml')).toThrow(
      /user must be a user name/,
    );
  });
  it('rejects an unpinned node image and unknown fields', () => {
    expect(() => validateKindTemplate({ ...base, nodeImage: 'kindest/node:v1.35.8' }, kindYaml, 'f.yaml')).toThrow(KindTemplateError);
    expect(() => validateKindTemplate({ ...base, nodeImage: 'kindest/node:v1.35.8' }, kindYaml, 'f.yaml')).toThrow(/nodeImage must be pinned by digest/);
    expect(() => validateKindTemplate({ ...base, workers: 3 }, kindYaml, 'f.yaml')).toThrow(/workers/);
  });
  it('surfaces kind.yaml errors with the kind.yaml path', () => {
    expect(() => validateKindTemplate(base, kindYaml + 'bogus: 1\n', '/s/kind-x/sandbox.yaml')).toThrow(/\/s\/kind-x\/kind\.yaml: invalid kind Cluster config/);
  });
});

describe('jumpbox', () => {
  const spec = jumpboxContainerSpec({ clusterName: 'pw-a', network: 'pw-a-net', labLabels: { 'io.packetwalk.lab-id': 'a' } });
  it('is unprivileged: all capabilities dropped except NET_RAW, no new privileges', () => {
    expect(spec.privileged).toBe(false);
    expect(spec.capDrop).toEqual(['ALL']);
    expect(spec.capAdd).toEqual(['NET_RAW']);
    expect(spec.securityOpt).toEqual(['no-new-privileges']);
    expect(spec.memoryBytes).toBeGreaterThan(0);
    expect(spec.pidsLimit).toBeGreaterThan(0);
  });
  it('lives on the cluster network without kind labels, so kind never treats it as a node', () => {
    expect(spec.network).toBe('pw-a-net');
    expect(Object.keys(spec.labels).filter((k) => k.startsWith('io.x-k8s.kind'))).toEqual([]);
    expect(spec.labels['io.packetwalk.role']).toBe('jumpbox');
    expect(spec.env?.KUBECONFIG).toBe('/home/learner/.kube/config');
  });
});

describe('LAB_RUNTIME', () => {
  it('runc or unset: privileged nodes; sysbox: unprivileged nodes on the sysbox runtime', () => {
    expect(optionsForLabRuntime(undefined)).toEqual({ privileged: true });
    expect(optionsForLabRuntime('runc')).toEqual({ privileged: true });
    expect(optionsForLabRuntime('sysbox-runc')).toEqual({ containerRuntime: 'sysbox-runc', privileged: false });
    expect(optionsForLabRuntime('kata')).toEqual({ containerRuntime: 'kata', privileged: true });
  });
});

describe('lab targets of a provisioned cluster', async () => {
  const { kindTargets } = await import('../../../lab-runner/kind/kind-lab-provisioner.ts');
  const t = await loadKindTemplate(path.join(sandboxes, 'kind-default', 'sandbox.yaml'));
  const node = (suffix: string, i: number) => ({
    id: `id-${suffix}`,
    name: `pw-lab-x-${suffix}`,
    suffix,
    role: suffix === 'control-plane' ? ('control-plane' as const) : ('worker' as const),
    ipv4: `172.18.0.${i}`,
  });
  const nodes = [node('control-plane', 2), node('worker', 3), node('worker2', 4)];
  const cluster = {
    labId: 'lab-x',
    clusterName: 'pw-lab-x',
    kubernetesVersion: 'v1.37.0',
    network: { id: 'n', name: 'pw-lab-x-net', removeOnTeardown: true },
    nodes,
    controlPlane: nodes[0]!,
    jumpbox: { id: 'id-jb', name: 'pw-lab-x-jumpbox', ipv4: '172.18.0.5' },
    toolboxes: [
      { id: 'id-tb1', name: 'pw-lab-x-node1-toolbox', target: 'node1', node: 'worker' },
      { id: 'id-tb2', name: 'pw-lab-x-node2-toolbox', target: 'node2', node: 'worker2' },
    ],
    apiServer: { hostAddress: '127.0.0.1', hostPort: '40000', internalEndpoint: 'pw-lab-x-control-plane:6443' },
    kubeconfig: { host: '', internal: '' },
    timings: {},
  };
  it("maps worker/worker2 to the kind nodes, node1/node2 to the toolboxes (with their worker's address), the jumpbox to its container", () => {
    const targets = kindTargets(t, cluster);
    expect(targets.map((x) => [x.name, x.kind, x.containerId, x.containerName, x.ipv4, x.user])).toEqual([
      ['jumpbox', 'jumpbox', 'id-jb', 'pw-lab-x-jumpbox', '172.18.0.5', 'learner'],
      ['control-plane', 'node', 'id-control-plane', 'pw-lab-x-control-plane', '172.18.0.2', undefined],
      ['worker', 'node', 'id-worker', 'pw-lab-x-worker', '172.18.0.3', undefined],
      ['worker2', 'node', 'id-worker2', 'pw-lab-x-worker2', '172.18.0.4', undefined],
      ['node1', 'node', 'id-tb1', 'pw-lab-x-node1-toolbox', '172.18.0.3', undefined],
      ['node2', 'node', 'id-tb2', 'pw-lab-x-node2-toolbox', '172.18.0.4', undefined],
    ]);
  });
  it('fails loudly when a target has no container', () => {
    expect(() => kindTargets(t, { ...cluster, jumpbox: undefined })).toThrow(/no jumpbox was started/);
    expect(() => kindTargets(t, { ...cluster, toolboxes: cluster.toolboxes.slice(0, 1) })).toThrow(
      /target node2 is a toolbox on pw-lab-x-worker2, but no toolbox was started for it/,
    );
  });
});

describe('published API server port', async () => {
  const { publishedPort } = await import('../../../lab-runner/kind/kind-provisioner.ts');
  it('reads the port out of "hostIp:hostPort" bindings', () => {
    expect(publishedPort({ '6443/tcp': '127.0.0.1:41234' }, '6443/tcp')).toBe('41234');
    expect(publishedPort({ '6443/tcp': ':::41234' }, '6443/tcp')).toBe('41234');
    expect(publishedPort({}, '6443/tcp')).toBe('');
    expect(publishedPort(undefined, '6443/tcp')).toBe('');
  });
});
