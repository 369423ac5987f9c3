import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lab-runner/labels.ts';
import { parseKindConfig } from '../../../course/sandbox/kind/kind-config-schema.ts';
import { nodeContainerSpec, type NodeSpecOptions } from '../../../lab-runner/kind/node-container-spec.ts';
import { planNodes, internalApiEndpoint } from '../../../course/sandbox/kind/node-plan.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import { proxyEnvFor } from '../../../lab-runner/kind/proxy-env.ts';

const config = parseKindConfig(
  `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
    extraPortMappings:
      - containerPort: 30080
        hostPort: 8080
      - containerPort: 53
        protocol: UDP
        listenAddress: 127.0.0.1
  - role: worker
`,
  'kind.yaml',
);
const nodes = planNodes('pw-lab1', config, DEFAULT_NODE_IMAGE);
const base: NodeSpecOptions = {
  clusterName: 'pw-lab1',
  network: 'pw-lab1-net',
  labLabels: { [Labels.managed]: 'true', [Labels.labId]: 'lab1' },
  proxyEnv: {},
  apiServerAddress: '127.0.0.1',
  apiServerHostPort: '',
  privileged: true,
  mountHostModules: true,
};

describe('node plan', () => {
  it('names nodes as kind does', () => {
    expect(nodes.map((n) => [n.name, n.role, n.suffix])).toEqual([
      ['pw-lab1-control-plane', 'control-plane', 'control-plane'],
      ['pw-lab1-worker', 'worker', 'worker'],
      ['pw-lab1-worker2', 'worker', 'worker2'],
    ]);
    expect(internalApiEndpoint(nodes)).toBe('pw-lab1-control-plane:6443');
  });
});

describe('node container create options (kind provision.go)', () => {
  const cp = nodeContainerSpec(nodes[0]!, base);
  const worker = nodeContainerSpec(nodes[1]!, base);

  it.each([
    ['control-plane', cp],
    ['worker', worker],
  ])('%s: the settings every kind node has', (role, spec) => {
    expect(spec.hostname).toBe(spec.name);
    expect(spec.image).toBe(DEFAULT_NODE_IMAGE);
    expect(spec.tty).toBe(true);
    expect(spec.network).toBe('pw-lab1-net');
    expect(spec.restartPolicy).toEqual({ name: 'on-failure', maximumRetryCount: 1 });
    expect(spec.init).toBe(false);
    expect(spec.cgroupnsMode).toBe('private');
    expect(spec.privileged).toBe(true);
    // --userns=host only where the engine remaps user namespaces (as kind does); host-profiles.test.ts covers that case.
    expect(spec.usernsMode).toBeUndefined();
    expect(spec.securityOpt).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
    expect(spec.tmpfs).toEqual({ '/tmp': '', '/run': '' });
    expect(spec.volumes).toEqual(['/var']);
    expect(spec.binds).toEqual(['/lib/modules:/lib/modules:ro']);
    expect(spec.cmd).toBeUndefined();
    expect(spec.entrypoint).toBeUndefined();
    expect(spec.memoryBytes).toBeUndefined();
    expect(spec.labels['io.x-k8s.kind.cluster']).toBe('pw-lab1');
    expect(spec.labels['io.x-k8s.kind.role']).toBe(role);
    expect(spec.labels[Labels.labId]).toBe('lab1');
    expect(spec.labels[Labels.role]).toBe('node');
  });

  it('control plane: KUBECONFIG env and the API server published on 127.0.0.1', () => {
    expect(cp.env).toEqual({ KUBECONFIG: '/etc/kubernetes/admin.conf' });
    expect(cp.portBindings).toEqual([{ containerPort: '6443/tcp', hostIp: '127.0.0.1', hostPort: '' }]);
    expect(cp.labels[Labels.node]).toBe('control-plane');
  });

  it('worker: no KUBECONFIG, no API port, extraPortMappings with kind defaults', () => {
    expect(worker.env).toEqual({});
    expect(worker.portBindings).toEqual([
      { containerPort: '30080/tcp', hostIp: '0.0.0.0', hostPort: '8080' },
      { containerPort: '53/udp', hostIp: '127.0.0.1', hostPort: '' },
    ]);
    expect(nodeContainerSpec(nodes[2]!, base).portBindings).toEqual([]);
  });

  it('kind labels cannot be overridden by lab labels', () => {
    const spec = nodeContainerSpec(nodes[0]!, { ...base, labLabels: { 'io.x-k8s.kind.cluster': 'evil', 'io.x-k8s.kind.role': 'worker' } });
    expect(spec.labels['io.x-k8s.kind.cluster']).toBe('pw-lab1');
    expect(spec.labels['io.x-k8s.kind.role']).toBe('control-plane');
  });

  it('on a userns-remap engine privileged nodes stay in the host user namespace (kind: --userns=host)', () => {
    const spec = nodeContainerSpec(nodes[0]!, { ...base, host: { rootless: false, usernsHost: true, mountDevMapper: false, mountFuse: false } });
    expect(spec.usernsMode).toBe('host');
  });

  it('isolating runtime, snapshotter pass-through and the stand-in switches', () => {
    const spec = nodeContainerSpec(nodes[1]!, { ...base, runtime: 'sysbox-runc', privileged: false, mountHostModules: false, containerdSnapshotter: 'native' });
    expect(spec.runtime).toBe('sysbox-runc');
    expect(spec.privileged).toBe(false);
    expect(spec.usernsMode).toBeUndefined();
    expect(spec.binds).toEqual([]);
    expect(spec.env).toEqual({ KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER: 'native' });
    expect(cp.runtime).toBeUndefined();
  });
});

describe('proxy environment', () => {
  it('passes nothing when the host has no proxy', () => {
    expect(proxyEnvFor({ hostEnv: { NO_PROXY: 'x' }, networkSubnets: ['172.18.0.0/16'], podSubnet: 'p', serviceSubnet: 's', nodeNames: [] })).toEqual({});
  });
  it('extends NO_PROXY with subnets, node names and cluster DNS suffixes, upper and lower case', () => {
    const env = proxyEnvFor({
      hostEnv: { https_proxy: 'http://proxy:3128', NO_PROXY: 'corp.example' },
      networkSubnets: ['172.18.0.0/16'],
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      nodeNames: ['pw-lab1-control-plane', 'pw-lab1-worker'],
    });
    const expected = '172.18.0.0/16,corp.example,10.96.0.0/16,10.244.0.0/16,pw-lab1-control-plane,pw-lab1-worker,.svc,.svc.cluster,.svc.cluster.local';
    expect(env).toEqual({ HTTPS_PROXY: 'http://proxy:3128', https_proxy: 'http://proxy:3128', NO_PROXY: expected, no_proxy: expected });
  });
});
