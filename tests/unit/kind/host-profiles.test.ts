// The kind path on the hosts learners bring: for each host profile, the preflight verdict and the exact node
// container create options, kubeadm documents and preload commands packetwalk would use there. kind cannot run on
// the machine these tests run on; these pin what the lab-runner derives from each host's facts.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toCreateOptions } from '../../../lab-runner/docker/container-create-options.ts';
import { hostAdaptations } from '../../../lab-runner/kind/host-adaptations.ts';
import { engineWithFilesystem, evaluatePreflight, lessonsBlockedBy } from '../../../lab-runner/kind/host-preflight.ts';
import { ctrImportCommand, preloadPlan, snapshotterFromConfigDump } from '../../../lab-runner/kind/image-loader.ts';
import { parseKindConfig } from '../../../course/sandbox/kind/kind-config-schema.ts';
import { renderKubeadmConfig } from '../../../lab-runner/kind/kubeadm-config.ts';
import { nodeContainerSpec } from '../../../lab-runner/kind/node-container-spec.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import { planNodes } from '../../../course/sandbox/kind/node-plan.ts';
import { HOST_PROFILES, type HostProfile } from './fixtures/host-profiles.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML is navigated freely in assertions
type Doc = Record<string, any>;

interface Expected {
  verdict: 'runs' | 'refused';
  failures: string[];
  warnings: string[];
  blockedLessons: string[];
  binds: string[];
  devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  usernsMode?: string;
  kubeletFeatureGates?: Record<string, boolean>;
  conntrack: Record<string, unknown>;
  save: object;
  ctr: string[];
}

const MODULES = '/lib/modules:/lib/modules:ro';
const ctr = (snapshotter: string, platform: string) => [
  'ctr',
  '--namespace=k8s.io',
  'images',
  'import',
  '--digests',
  `--snapshotter=${snapshotter}`,
  `--platform=${platform}`,
  '-',
];

const EXPECTED: Record<string, Expected> = {
  'Ubuntu 24.04, Docker 27, overlay2, cgroup v2': {
    verdict: 'runs',
    failures: [],
    // Stock kernels default max_user_instances to 128: kind does not gate on it, neither does packetwalk.
    warnings: ['inotify instances'],
    blockedLessons: [],
    binds: [MODULES],
    conntrack: { maxPerCore: 0 },
    // API 1.47 cannot filter a save by platform; the classic store holds one platform anyway.
    save: {},
    ctr: ctr('overlayfs', 'linux/amd64'),
  },
  'Fedora 43 on btrfs, Docker 29 (containerd image store)': {
    verdict: 'runs',
    failures: [],
    warnings: ['inotify instances'],
    blockedLessons: [],
    // btrfs under Docker's root dir, found by statfs: the containerd store reports no backing filesystem.
    binds: [MODULES, '/dev/mapper:/dev/mapper'],
    conntrack: { maxPerCore: 0 },
    save: { platform: { os: 'linux', architecture: 'amd64' } },
    ctr: ctr('overlayfs', 'linux/amd64'),
  },
  'Rootless Docker 28 (Ubuntu 24.04, cgroup v2)': {
    verdict: 'runs',
    failures: [],
    // Delegation present (docker info MemoryLimit/PidsLimit/CPUShares): kind runs rootless, so does packetwalk.
    warnings: [],
    blockedLessons: [],
    binds: [MODULES],
    devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
    kubeletFeatureGates: { KubeletInUserNamespace: true },
    conntrack: { maxPerCore: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    save: { platform: { os: 'linux', architecture: 'amd64' } },
    ctr: ctr('fuse-overlayfs', 'linux/amd64'),
  },
  'Docker Desktop 4.5x on an Apple silicon Mac': {
    verdict: 'runs',
    failures: [],
    // The VM's kernel cannot be inspected from the Mac: said, not guessed.
    warnings: ['Kernel: NFQUEUE', 'Kernel: xt_recent'],
    blockedLessons: [],
    binds: [MODULES],
    conntrack: { maxPerCore: 0 },
    save: { platform: { os: 'linux', architecture: 'arm64' } },
    ctr: ctr('overlayfs', 'linux/arm64'),
  },
  'cgroup v1 host (Docker 20.10, e.g. CentOS 7 or this CI machine)': {
    verdict: 'refused',
    failures: ['cgroups'],
    warnings: ['inotify watches', 'inotify instances', 'Kernel: NFQUEUE'],
    blockedLessons: ['dns-and-policy/network-policy'],
    binds: [MODULES],
    conntrack: { maxPerCore: 0 },
    save: {},
    ctr: ctr('overlayfs', 'linux/amd64'),
  },
};

const cluster = parseKindConfig(
  'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n',
  'kind.yaml',
);
const plan = planNodes('pw-lab1', cluster, DEFAULT_NODE_IMAGE);

function derive(p: HostProfile) {
  const results = evaluatePreflight(p.facts, { nodeCount: 3, kubernetesMinor: 37 });
  const engine = engineWithFilesystem(p.facts)!;
  const host = hostAdaptations(engine);
  const create = toCreateOptions(
    nodeContainerSpec(plan[0]!, {
      clusterName: 'pw-lab1',
      network: 'pw-lab1-net',
      labLabels: {},
      proxyEnv: {},
      apiServerAddress: '127.0.0.1',
      apiServerHostPort: '43117',
      privileged: true,
      mountHostModules: true,
      host,
    }),
  );
  const kubeadm = renderKubeadmConfig({
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kubernetesVersion: 'v1.37.0',
    clusterName: 'pw-lab1',
    controlPlaneEndpoint: 'pw-lab1-control-plane:6443',
    apiServerAddress: '127.0.0.1',
    apiBindPort: 6443,
    nodeName: 'pw-lab1-control-plane',
    nodeAddress: '172.18.0.2',
    controlPlane: true,
    nodeLabels: {},
    podSubnet: '10.244.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    kubeProxyMode: 'iptables',
    patches: [],
    rootless: host.rootless,
  });
  const docs = parseAllDocuments(kubeadm).map((d) => d.toJS() as Doc);
  const plan2 = preloadPlan(engine);
  return { results, create, kubeadm, docs, preload: plan2, ctr: ctrImportCommand(snapshotterFromConfigDump(p.containerdDump), plan2.importPlatform) };
}

describe.each(HOST_PROFILES.map((p) => [p.name, p] as const))('host profile: %s', (name, profile) => {
  const want = EXPECTED[name]!;
  const d = derive(profile);

  it('preflight verdict, its warnings, and the lessons it names', () => {
    const failures = d.results.filter((r) => r.status === 'fail').map((r) => r.name);
    const warnings = d.results.filter((r) => r.status === 'warn').map((r) => r.name);
    expect(failures.length ? 'refused' : 'runs').toBe(want.verdict);
    expect(failures).toEqual(want.failures);
    expect(warnings).toEqual(want.warnings);
    expect(lessonsBlockedBy(d.results).map((b) => b.lesson)).toEqual(want.blockedLessons);
    for (const r of d.results.filter((x) => x.status !== 'ok')) expect(r.fix, r.name).toBeTruthy();
  });

  it('node container create options', () => {
    const hc = d.create.HostConfig as Doc;
    expect(hc.Binds).toEqual(want.binds);
    expect(hc.Devices).toEqual(want.devices);
    expect(hc.UsernsMode).toEqual(want.usernsMode);
    expect(hc).toMatchObject({
      Privileged: true,
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      Tmpfs: { '/tmp': '', '/run': '' },
      CgroupnsMode: 'private',
      Init: false,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 1 },
      // The port kind would have picked, published explicitly so it survives a dockerd restart.
      PortBindings: { '6443/tcp': [{ HostIp: '127.0.0.1', HostPort: '43117' }] },
    });
    expect(d.create.Volumes).toEqual({ '/var': {} });
  });

  it('kubeadm documents', () => {
    expect(d.docs.map((x) => x.kind)).toEqual([
      'ClusterConfiguration',
      'InitConfiguration',
      'JoinConfiguration',
      'KubeletConfiguration',
      'KubeProxyConfiguration',
    ]);
    for (const doc of d.docs) expect(doc.metadata, doc.kind).toBeUndefined();
    const kubelet = d.docs.find((x) => x.kind === 'KubeletConfiguration')!;
    const proxy = d.docs.find((x) => x.kind === 'KubeProxyConfiguration')!;
    const init = d.docs.find((x) => x.kind === 'InitConfiguration')!;
    expect(kubelet.featureGates).toEqual(want.kubeletFeatureGates);
    expect(proxy.featureGates).toEqual(want.kubeletFeatureGates);
    expect(proxy.conntrack).toEqual(want.conntrack);
    expect(init.nodeRegistration.kubeletExtraArgs).toContainEqual({ name: 'node-labels', value: '' });
    const cluster = d.docs.find((x) => x.kind === 'ClusterConfiguration')!;
    const gates = want.kubeletFeatureGates ? [{ name: 'feature-gates', value: 'KubeletInUserNamespace=true' }] : [];
    expect(cluster.apiServer.extraArgs).toEqual([{ name: 'runtime-config', value: '' }, ...gates]);
    // Empty is null, as kind's template leaves it (seen in kind v0.33.0's own output: kind-differential.test.ts).
    expect(cluster.scheduler.extraArgs).toEqual(gates.length ? gates : null);
  });

  it('preload: docker save options and the ctr import command', () => {
    expect(d.preload.save).toEqual(want.save);
    expect(d.ctr).toEqual(want.ctr);
  });
});

describe('kube-proxy in nftables mode', () => {
  const render = (rootless: boolean) =>
    parseAllDocuments(
      renderKubeadmConfig({
        apiVersion: 'kubeadm.k8s.io/v1beta4',
        kubernetesVersion: 'v1.37.0',
        clusterName: 'c',
        controlPlaneEndpoint: 'c-control-plane:6443',
        apiServerAddress: '127.0.0.1',
        apiBindPort: 6443,
        nodeName: 'c-control-plane',
        nodeAddress: '172.18.0.2',
        controlPlane: true,
        nodeLabels: {},
        podSubnet: '10.244.0.0/16',
        serviceSubnet: '10.96.0.0/16',
        kubeProxyMode: 'nftables',
        patches: [],
        rootless,
      }),
    )
      .map((x) => x.toJS() as Doc)
      .find((x) => x.kind === 'KubeProxyConfiguration')!;
  it('sets conntrack.tcpBeLiberal as kind does, except rootless (the sysctl cannot be written there)', () => {
    expect(render(false).conntrack).toEqual({ maxPerCore: 0, tcpBeLiberal: true });
    expect(render(true).conntrack).toEqual({ maxPerCore: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' });
  });
});
