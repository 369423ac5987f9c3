// Names and roles of a cluster's node containers, computed before anything is created (names are needed
// for NO_PROXY and for the lesson target mapping). kind's scheme: "<cluster>-control-plane", "<cluster>-worker",
// then "<cluster>-worker2", "<cluster>-worker3"… in config order.
import type { KindClusterConfig, KindNodeConfig } from './kind-config-schema.ts';

export interface PlannedNode {
  /** Container name = hostname = Kubernetes node name. */
  name: string;
  /** Name without the cluster prefix, e.g. "worker2" (how kind's docs and lessons say it: "kind-worker2"). */
  suffix: string;
  role: KindNodeConfig['role'];
  image: string;
  config: KindNodeConfig;
}

export function planNodes(clusterName: string, config: KindClusterConfig, defaultImage: string): PlannedNode[] {
  const seen: Record<string, number> = {};
  return config.nodes.map((node) => {
    const n = (seen[node.role] = (seen[node.role] ?? 0) + 1);
    const suffix = n === 1 ? node.role : `${node.role}${n}`;
    return { name: `${clusterName}-${suffix}`, suffix, role: node.role, image: node.image ?? defaultImage, config: node };
  });
}

export function controlPlaneOf(nodes: PlannedNode[]): PlannedNode {
  const cp = nodes.find((n) => n.role === 'control-plane');
  if (!cp) throw new Error('cluster plan has no control-plane node');
  return cp;
}

/** Where nodes and the jumpbox reach the API server inside the cluster network. */
export const API_SERVER_INTERNAL_PORT = 6443;

export function internalApiEndpoint(nodes: PlannedNode[]): string {
  return `${controlPlaneOf(nodes).name}:${API_SERVER_INTERNAL_PORT}`;
}
