// The provisioner itself, on a scripted engine per host profile: what it hands Docker (network MTU, node create
// options, explicit host ports) and writes into nodes (kubeadm.conf), up to a kubeadm init that fails — then the
// teardown. Proves the host adaptations reach the containers, not only the pure functions the profiles pin.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../lab-runner/errors.ts';
import { provisionKindCluster } from '../../../lab-runner/kind/kind-provisioner.ts';
import { validateKindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import type {
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  EngineInfo,
  ExecOptions,
  ExecResult,
  NetworkSpec,
} from '../../../lab-runner/runtime/container-runtime.ts';
import { HOST_PROFILES } from './fixtures/host-profiles.ts';

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false, truncated: false });

function scriptedEngine(engine: EngineInfo) {
  const networks: NetworkSpec[] = [];
  const containers = new Map<string, ContainerSpec>();
  const files = new Map<string, string>();
  const removed: string[] = [];
  const runtime = {
    info: async () => engine,
    inspectImage: async (ref: string) => ({ id: `sha256:${ref.length}`, tags: [ref], labels: {}, sizeBytes: 1 }),
    inspectNetwork: async (name: string) => (name === 'bridge' ? { id: 'b', name: 'bridge', labels: {}, internal: false, mtu: 1400 } : undefined),
    createNetwork: async (spec: NetworkSpec) => {
      networks.push(spec);
      return { id: `net-${spec.name}`, name: spec.name, labels: spec.labels, internal: spec.internal, subnet: '172.18.0.0/16' };
    },
    createContainer: async (spec: ContainerSpec) => {
      containers.set(spec.name, spec);
      return { id: spec.name };
    },
    startContainer: async () => undefined,
    waitForLog: async () => undefined,
    inspectContainer: async (id: string): Promise<ContainerInfo> => ({
      id,
      name: id,
      image: '',
      labels: containers.get(id)?.labels ?? {},
      state: 'running',
      ipv4: { [networks[0]!.name]: '172.18.0.2' },
    }),
    exec: async (id: string, o: ExecOptions) => {
      if (o.cmd[0] === 'cat' && o.cmd[1] === '/kind/version') return ok('v1.37.0\n');
      if (o.cmd[0] === 'cp') files.set(`${id}:${o.cmd[2]}`, String(o.stdin));
      if (o.cmd[0] === 'kubeadm') return { ...ok(), exitCode: 1, stderr: 'scripted: kubeadm stops here' };
      return ok();
    },
    listContainers: async (filter: Record<string, string>) =>
      [...containers.entries()]
        .filter(([name, s]) => !removed.includes(name) && Object.entries(filter).every(([k, v]) => s.labels[k] === v))
        .map(([name, s]) => ({ id: name, name, image: s.image, labels: s.labels, state: 'running' as const, ipv4: {} })),
    removeContainer: async (id: string) => void removed.push(id),
    listNetworks: async () => [],
    removeNetwork: async () => undefined,
  } as unknown as ContainerRuntime;
  return { runtime, networks, containers, files, removed };
}

const template = validateKindTemplate(
  { name: 'kind-default', title: 't', runtime: 'kind', nodeImage: DEFAULT_NODE_IMAGE, targets: [{ name: 'jumpbox', kind: 'jumpbox' }] },
  'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n',
  '/virtual/kind-default/sandbox.yaml',
);

describe.each(HOST_PROFILES.filter((p) => p.facts.engine && !('error' in p.facts.engine)).map((p) => [p.name, p] as const))(
  'provisioner on %s',
  (_name, profile) => {
    it("hands Docker kind's settings for this host and tears down after a failed kubeadm init", async () => {
      // The profile's engine as `docker info` would give it (the statfs finding folded in, as the preflight does).
      const base = profile.facts.engine as EngineInfo;
      const engine = { ...base, backingFilesystem: base.backingFilesystem ?? profile.facts.dockerRootFilesystem };
      const e = scriptedEngine(engine);
      const err = await provisionKindCluster({
        runtime: e.runtime,
        labId: 'lab-w',
        clusterName: 'pw-lab-w',
        labLabels: { 'io.packetwalk.lab-id': 'lab-w' },
        template,
        options: { preflight: false, allowPull: false, startJumpbox: false, startToolboxes: false, env: {} },
      }).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ProvisionError);
      expect((err as ProvisionError).step).toBe('kubeadm init');

      expect(e.networks[0]!.mtu).toBe(1400);
      const cp = e.containers.get('pw-lab-w-control-plane')!;
      const worker = e.containers.get('pw-lab-w-worker')!;
      for (const spec of [cp, worker]) {
        expect(spec.devices).toEqual(engine.rootless ? ['/dev/fuse'] : undefined);
        expect(spec.binds!.includes('/dev/mapper:/dev/mapper')).toBe(profile.name.includes('btrfs'));
      }
      const api = cp.portBindings!.find((b) => b.containerPort === '6443/tcp')!;
      expect(Number(api.hostPort)).toBeGreaterThan(1023);

      const conf = parseAllDocuments(e.files.get('pw-lab-w-worker:/kind/kubeadm.conf')!).map((d) => d.toJS() as Record<string, unknown>);
      const kubelet = conf.find((d) => d.kind === 'KubeletConfiguration')!;
      expect(kubelet.featureGates).toEqual(engine.rootless ? { KubeletInUserNamespace: true } : undefined);
      expect(conf.every((d) => d.metadata === undefined)).toBe(true);

      // Failed: everything it created is removed.
      expect(e.removed.sort()).toEqual(['pw-lab-w-control-plane', 'pw-lab-w-worker']);
    });
  },
);
