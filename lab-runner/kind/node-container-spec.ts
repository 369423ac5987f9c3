// The Docker create options of a kind node, setting for setting as kind's docker provider writes them
// (pkg/cluster/internal/providers/docker/provision.go), expressed as a ContainerRuntime ContainerSpec.
import type { ContainerSpec } from '../runtime/container-runtime.ts';
import type { HostAdaptations } from './host-adaptations.ts';
import { Labels } from '../labels.ts';
import { KindLabels } from './kind-labels.ts';
import type { PlannedNode } from '../../course/sandbox/kind/node-plan.ts';
import { API_SERVER_INTERNAL_PORT } from '../../course/sandbox/kind/node-plan.ts';

export interface NodeSpecOptions {
  clusterName: string;
  network: string;
  /** io.packetwalk.* labels of the lab; kind's labels are added on top and cannot be overridden. */
  labLabels: Record<string, string>;
  /** Proxy variables for every node (see proxy-env.ts). */
  proxyEnv: Record<string, string>;
  /** The API server's published address on the host (kind: networking.apiServerAddress, default 127.0.0.1). */
  apiServerAddress: string;
  /** Host port for the API server; "" lets Docker choose a free one (see docs/kind.md). */
  apiServerHostPort: string;
  /**
   * kind nodes are privileged. False only for an isolating runtime that grants the needed powers inside a user
   * namespace (Sysbox), and for the stand-in image in integration tests on hosts that refuse --privileged.
   */
  privileged: boolean;
  /** HostConfig.Runtime, e.g. sysbox-runc (LAB_RUNTIME). */
  runtime?: string;
  /** kind binds the host's /lib/modules read-only. Docker creates a missing source directory, so tests on hosts without one turn it off. */
  mountHostModules: boolean;
  /** KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER from the host environment, passed through like kind's `-e NAME`. */
  containerdSnapshotter?: string;
  /** What kind changes for this Docker host (rootless, userns-remap, btrfs/zfs/xfs); see host-adaptations.ts. */
  host?: HostAdaptations;
}

export function nodeContainerSpec(node: PlannedNode, o: NodeSpecOptions): ContainerSpec {
  const env: Record<string, string> = { ...o.proxyEnv };
  if (o.containerdSnapshotter) env.KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER = o.containerdSnapshotter;
  if (node.role === 'control-plane') env.KUBECONFIG = '/etc/kubernetes/admin.conf';

  const portBindings: NonNullable<ContainerSpec['portBindings']> = [];
  for (const pm of node.config.extraPortMappings ?? []) {
    portBindings.push({
      containerPort: `${pm.containerPort}/${(pm.protocol ?? 'TCP').toLowerCase()}`,
      // kind's default listen address for extraPortMappings is 0.0.0.0 (Docker's default).
      hostIp: pm.listenAddress ?? '0.0.0.0',
      hostPort: pm.hostPort ? String(pm.hostPort) : '',
    });
  }
  if (node.role === 'control-plane') {
    portBindings.push({ containerPort: `${API_SERVER_INTERNAL_PORT}/tcp`, hostIp: o.apiServerAddress, hostPort: o.apiServerHostPort });
  }

  return {
    name: node.name,
    hostname: node.name,
    image: node.image,
    labels: {
      ...o.labLabels,
      [KindLabels.cluster]: o.clusterName,
      [KindLabels.role]: node.role,
      [Labels.role]: 'node',
      [Labels.node]: node.suffix,
    },
    env,
    // No cmd/entrypoint: the image's entrypoint runs systemd as PID 1.
    tty: true,
    network: o.network,
    privileged: o.privileged,
    securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    tmpfs: { '/tmp': '', '/run': '' },
    volumes: ['/var'],
    binds: [...(o.mountHostModules ? ['/lib/modules:/lib/modules:ro'] : []), ...(o.host?.mountDevMapper ? ['/dev/mapper:/dev/mapper'] : [])],
    portBindings,
    restartPolicy: { name: 'on-failure', maximumRetryCount: 1 },
    init: false,
    cgroupnsMode: 'private',
    ...(o.runtime ? { runtime: o.runtime } : {}),
    ...(o.host?.mountFuse ? { devices: ['/dev/fuse'] } : {}),
    // Docker refuses a privileged container in a remapped user namespace (userns-remap): there kind nodes stay in the host's, as kind's do.
    ...(o.host?.usernsHost ? { usernsMode: 'host' as const } : {}),
  };
}
