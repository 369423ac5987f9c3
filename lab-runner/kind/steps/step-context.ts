// What the steps of creating a kind cluster share: the context every step starts with, and what each step adds
// for the later ones (kind-provision-steps.ts says which step adds what).
import type { EngineInfo, ContainerRuntime } from '../../runtime/container-runtime.ts';
import type { HostAdaptations } from '../host-adaptations.ts';
import type { KindProvisionOptions, ProvisionedNode, ProvisionKindRequest } from '../kind-provision-types.ts';
import type { KindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import type { ClusterKubeconfigs } from '../kubeconfig.ts';
import type { NodeExecContext, NodeRef } from '../node-exec.ts';
import type { PlannedNode } from '../../../course/sandbox/kind/node-plan.ts';
import type { PreloadOutcome } from '../preload.ts';

export interface KindStart {
  req: ProvisionKindRequest;
  o: KindProvisionOptions;
  runtime: ContainerRuntime;
  template: KindTemplate;
  cfg: KindTemplate['cluster'];
  clusterName: string;
  plan: PlannedNode[];
  cpPlan: PlannedNode;
  /** Exec on kind nodes (privileged unless the runtime isolates). */
  nodeCtx: NodeExecContext;
  /** Exec on the jumpbox and toolboxes (never privileged). */
  jumpCtx: NodeExecContext;
  /** Shows a warning and keeps it for the cluster's report. */
  warn: (line: string) => void;
  /** Shows a sub-step line (pull progress, image sizes); "warning:" lines are kept as warnings. */
  detail: (line: string) => void;
}

/** preflight */
export interface HostChecked {
  /** What the engine said about itself; undefined when it would not say (no preflight). */
  engine: EngineInfo | undefined;
  host: HostAdaptations;
}

/** network */
export interface NetworkReady {
  network: { id: string; name: string; subnet?: string; removeOnTeardown: boolean };
}

/** create nodes: one container per planned node, in plan order. */
export interface NodesStarted {
  refs: NodeRef[];
}

export type ConfiguredNode = ProvisionedNode & { version: string };

/** kubeadm config */
export interface NodesConfigured {
  nodes: ConfiguredNode[];
  controlPlane: ConfiguredNode;
  kubernetesVersion: string;
}

/** kubeconfig */
export interface KubeconfigExported {
  adminConf: string;
  kubeconfig: ClusterKubeconfigs;
  hostPort: string;
}

/** load images */
export interface ImagesPreloaded {
  preload: PreloadOutcome;
}

/** start jumpbox */
export interface HelpersStarted {
  jumpbox?: NodeRef & { ipv4?: string };
  toolboxes: (NodeRef & { target: string; node: string })[];
}
