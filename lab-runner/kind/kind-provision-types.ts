// What provisionKindCluster takes and returns: its options (with kind's defaults), the request, and the cluster.
import type { ProvisionProgress } from '../lab/lab.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { HostAdaptations } from './host-adaptations.ts';
import type { KindNetworkMode } from './kind-network.ts';
import type { KindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';
import type { ClusterKubeconfigs } from './kubeconfig.ts';
import type { NodeRef } from './node-exec.ts';
import type { PlannedNode } from '../../course/sandbox/kind/node-plan.ts';
import type { PreloadOutcome } from './preload.ts';
import type { ProvisionStepId } from './provision-steps.ts';

export interface KindProvisionOptions {
  /** per-cluster (default, isolates learners) or kind's shared network. */
  networkMode: KindNetworkMode;
  /** Internal network: nothing leaves the host (tests). The published API port then does not work. */
  internalNetwork: boolean;
  /** kind nodes are privileged; false with Sysbox, and for the stand-in image in tests. */
  privileged: boolean;
  /** HostConfig.Runtime for nodes (LAB_RUNTIME), e.g. sysbox-runc. */
  containerRuntime?: string;
  mountHostModules: boolean;
  /** Keep containers after a failure, for debugging (kind --retain). */
  retain: boolean;
  /** Run the host checks (doctor) first. */
  preflight: boolean;
  /** Pull a missing node image (needs a registry). When false a missing image fails the step with advice. */
  allowPull: boolean;
  systemdTimeoutMs: number;
  /** Nodes not Ready after this long: a warning, and the wait goes on (a slow host is not a failed cluster). */
  readyTimeoutMs: number;
  /** Nodes not Ready after this long: the cluster has failed and is torn down. */
  readyGiveUpMs: number;
  /**
   * Safety net for one kubeadm init/join. kind sets none; kubeadm's own timeouts (4-5 min per phase) end a real
   * failure first, so this only stops a hung exec.
   */
  kubeadmTimeoutMs: number;
  startJumpbox: boolean;
  /** Start the template's toolbox targets (node1 → a packetwalk/node container in kind-worker's network namespace). */
  startToolboxes: boolean;
  /** Seconds the learner's token stays valid (lab lifetime). */
  credentialsValidForSeconds: number;
  env: Record<string, string | undefined>;
}

export const DEFAULT_KIND_OPTIONS: KindProvisionOptions = {
  networkMode: 'per-cluster',
  internalNetwork: false,
  privileged: true,
  mountHostModules: true,
  retain: false,
  preflight: true,
  allowPull: true,
  systemdTimeoutMs: 30_000,
  readyTimeoutMs: 300_000,
  readyGiveUpMs: 20 * 60_000,
  kubeadmTimeoutMs: 30 * 60_000,
  startJumpbox: true,
  startToolboxes: true,
  credentialsValidForSeconds: 4 * 3600,
  env: process.env,
};

/** Node and jumpbox options for an isolating runtime: Sysbox runs kind nodes without --privileged. */
export function optionsForLabRuntime(labRuntime: string | undefined): Pick<KindProvisionOptions, 'containerRuntime' | 'privileged'> {
  if (!labRuntime || labRuntime === 'runc') return { privileged: true };
  return { containerRuntime: labRuntime, privileged: !labRuntime.startsWith('sysbox') };
}

export interface ProvisionKindRequest {
  runtime: ContainerRuntime;
  labId: string;
  clusterName: string;
  /** io.packetwalk.* labels of the lab (labLabels()). */
  labLabels: Record<string, string>;
  template: KindTemplate;
  options?: Partial<KindProvisionOptions>;
  onProgress?: (p: ProvisionProgress) => void;
  /** Sub-step detail lines (pull progress, image sizes), for a log pane under the progress bar. */
  onDetail?: (line: string) => void;
  /** Aborted when the lab is destroyed mid-provisioning: stop before the next step. */
  signal?: AbortSignal;
}

export interface ProvisionedNode extends NodeRef {
  suffix: string;
  role: PlannedNode['role'];
  ipv4: string;
}

export interface KindCluster {
  labId: string;
  clusterName: string;
  kubernetesVersion: string;
  network: { id: string; name: string; removeOnTeardown: boolean };
  nodes: ProvisionedNode[];
  controlPlane: ProvisionedNode;
  jumpbox?: NodeRef & { ipv4?: string };
  /** One per toolbox target: `target` (node1) → container sharing node `node`'s (worker) network namespace. */
  toolboxes: (NodeRef & { target: string; node: string })[];
  apiServer: { hostAddress: string; hostPort: string; internalEndpoint: string };
  kubeconfig: ClusterKubeconfigs;
  /** ms per step, for benchmarks and logs. */
  timings: Partial<Record<ProvisionStepId, number>>;
  /** What was changed for this Docker host (rootless, userns-remap, /dev/mapper). */
  host?: HostAdaptations;
  /** Workload images loaded, and those that were not (with how to get them): never a reason to fail. */
  preload?: PreloadOutcome;
  /** Every warning shown while creating (preflight, slow nodes, preload), for reports. */
  warnings?: string[];
}
