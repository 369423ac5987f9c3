import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderKubeadmConfig, type KubeadmConfigInput } from '../../../lab-runner/kind/kubeadm-config.ts';
import { kubeadmApiVersionFor, parseKubernetesVersion } from '../../../course/sandbox/kind/node-images.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML is navigated freely in assertions
type Doc = Record<string, any>;
const docs = (text: string): Doc[] => parseAllDocuments(text).map((d) => d.toJS() as Doc);
const byKind = (all: Doc[], kind: string) => all.find((d) => d.kind === kind)!;

const input = (over: Partial<KubeadmConfigInput> = {}): KubeadmConfigInput => ({
  apiVersion: 'kubeadm.k8s.io/v1beta3',
  kubernetesVersion: 'v1.35.8',
  clusterName: 'pw-lab1',
  controlPlaneEndpoint: 'pw-lab1-control-plane:6443',
  apiServerAddress: '127.0.0.1',
  apiBindPort: 6443,
  nodeName: 'pw-lab1-worker',
  nodeAddress: '172.18.0.3',
  controlPlane: false,
  nodeLabels: {},
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/16',
  kubeProxyMode: 'iptables',
  patches: [],
  ...over,
});

describe('kubeadm API version by Kubernetes version', () => {
  it.each([
    ['v1.23.0', 'kubeadm.k8s.io/v1beta3'],
    ['v1.35.8', 'kubeadm.k8s.io/v1beta3'],
    ['v1.36.4', 'kubeadm.k8s.io/v1beta4'],
    ['v1.37.0', 'kubeadm.k8s.io/v1beta4'],
    ['v1.36.0-alpha.2.31+abcdef', 'kubeadm.k8s.io/v1beta4'],
  ])('%s → %s', (v, api) => {
    expect(kubeadmApiVersionFor(parseKubernetesVersion(v)!)).toBe(api);
  });
  it('refuses versions older than 1.23', () => {
    expect(() => kubeadmApiVersionFor(parseKubernetesVersion('v1.22.17')!)).toThrow(/not supported/);
  });
});

describe.each(['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4'] as const)('rendered %s config', (apiVersion) => {
  const v4 = apiVersion.endsWith('v1beta4');
  const args = (value: unknown): Record<string, string> =>
    v4 ? Object.fromEntries((value as { name: string; value: string }[]).map((a) => [a.name, a.value])) : (value as Record<string, string>);

  const cp = docs(
    renderKubeadmConfig(
      input({ apiVersion, controlPlane: true, nodeName: 'pw-lab1-control-plane', nodeAddress: '172.18.0.2', nodeLabels: { b: '2', a: '1' } }),
    ),
  );

  it('has the five documents in kind order with the right API versions', () => {
    expect(cp.map((d) => [d.apiVersion, d.kind])).toEqual([
      [apiVersion, 'ClusterConfiguration'],
      [apiVersion, 'InitConfiguration'],
      [apiVersion, 'JoinConfiguration'],
      ['kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration'],
      ['kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration'],
    ]);
  });

  it('ClusterConfiguration', () => {
    const c = byKind(cp, 'ClusterConfiguration');
    expect(c.kubernetesVersion).toBe('v1.35.8');
    expect(c.clusterName).toBe('pw-lab1');
    expect(c.controlPlaneEndpoint).toBe('pw-lab1-control-plane:6443');
    expect(c.apiServer.certSANs).toEqual(['localhost', '127.0.0.1']);
    expect(args(c.apiServer.extraArgs)).toEqual({ 'runtime-config': '' });
    expect(args(c.controllerManager.extraArgs)).toEqual({ 'enable-hostpath-provisioner': 'true' });
    expect(c.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
    if (v4) expect(Array.isArray(c.apiServer.extraArgs)).toBe(true);
    else expect(Array.isArray(c.apiServer.extraArgs)).toBe(false);
  });

  it('InitConfiguration', () => {
    const i = byKind(cp, 'InitConfiguration');
    expect(i.bootstrapTokens).toEqual([{ token: 'abcdef.0123456789abcdef' }]);
    expect(i.localAPIEndpoint).toEqual({ advertiseAddress: '172.18.0.2', bindPort: 6443 });
    expect(i.nodeRegistration.criSocket).toBe('unix:///run/containerd/containerd.sock');
    expect(args(i.nodeRegistration.kubeletExtraArgs)).toEqual({
      'node-ip': '172.18.0.2',
      'provider-id': 'kind://docker/pw-lab1/pw-lab1-control-plane',
      'node-labels': 'a=1,b=2',
    });
    expect(i.skipPhases).toEqual(['preflight']);
  });

  it('JoinConfiguration of a control plane and of a worker', () => {
    const j = byKind(cp, 'JoinConfiguration');
    expect(j.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '172.18.0.2', bindPort: 6443 } });
    expect(j.discovery).toEqual({
      bootstrapToken: { apiServerEndpoint: 'pw-lab1-control-plane:6443', token: 'abcdef.0123456789abcdef', unsafeSkipCAVerification: true },
    });
    expect(j.skipPhases).toEqual(['preflight']);
    const worker = byKind(docs(renderKubeadmConfig(input({ apiVersion }))), 'JoinConfiguration');
    expect(worker.controlPlane).toBeUndefined();
    expect(args(worker.nodeRegistration.kubeletExtraArgs)).toEqual({
      'node-ip': '172.18.0.3',
      'provider-id': 'kind://docker/pw-lab1/pw-lab1-worker',
      'node-labels': '',
    });
  });

  it('KubeletConfiguration and KubeProxyConfiguration', () => {
    expect(byKind(cp, 'KubeletConfiguration')).toMatchObject({
      cgroupDriver: 'systemd',
      cgroupRoot: '/kubelet',
      failSwapOn: false,
      imageGCHighThresholdPercent: 100,
      evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
    });
    expect(byKind(cp, 'KubeProxyConfiguration')).toMatchObject({ mode: 'iptables', iptables: { minSyncPeriod: '1s' }, conntrack: { maxPerCore: 0 } });
    const nft = docs(renderKubeadmConfig(input({ apiVersion, kubeProxyMode: 'nftables' })));
    expect(byKind(nft, 'KubeProxyConfiguration').mode).toBe('nftables');
  });

  it('kubeProxyMode none: no KubeProxyConfiguration, kubeadm skips the kube-proxy addon on init only', () => {
    const none = docs(renderKubeadmConfig(input({ apiVersion, kubeProxyMode: 'none' })));
    expect(none.find((d) => d.kind === 'KubeProxyConfiguration')).toBeUndefined();
    expect(byKind(none, 'InitConfiguration').skipPhases).toEqual(['preflight', 'addon/kube-proxy']);
    expect(byKind(none, 'JoinConfiguration').skipPhases).toEqual(['preflight']);
  });

  it('applies kubeadmConfigPatches written in either args style, and null deletes', () => {
    const mapStyle = `kind: ClusterConfiguration
apiServer:
  extraArgs:
    v: "4"
networking:
  dnsDomain: lab.local
`;
    const listStyle = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: max-pods
      value: "50"
`;
    const kubelet = `kind: KubeletConfiguration
failSwapOn: null
maxPods: 50
`;
    const out = docs(renderKubeadmConfig(input({ apiVersion, controlPlane: true, patches: [mapStyle, listStyle, kubelet] })));
    const c = byKind(out, 'ClusterConfiguration');
    expect(c.apiVersion).toBe(apiVersion);
    expect(args(c.apiServer.extraArgs)).toEqual({ 'runtime-config': '', v: '4' });
    expect(c.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', dnsDomain: 'lab.local' });
    const init = byKind(out, 'InitConfiguration');
    expect(init.apiVersion).toBe(apiVersion);
    expect(args(init.nodeRegistration.kubeletExtraArgs)).toMatchObject({ 'max-pods': '50', 'node-ip': '172.18.0.3' });
    // A patch for one kind leaves the others alone.
    expect(args(byKind(out, 'JoinConfiguration').nodeRegistration.kubeletExtraArgs)['max-pods']).toBeUndefined();
    const k = byKind(out, 'KubeletConfiguration');
    expect(k.failSwapOn).toBeUndefined();
    expect(k.maxPods).toBe(50);
  });

  it('starts with a comment naming its generator and API version', () => {
    expect(renderKubeadmConfig(input({ apiVersion })).split('\n')[0]).toBe(`# config generated by packetwalk (kind-compatible, ${apiVersion})`);
  });
});
