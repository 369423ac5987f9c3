// Removes everything a kind lab owns: node containers (with their anonymous /var volumes), the jumpbox and,
// for a per-cluster network, the network. Found by label, so it also cleans up after a crashed provisioner.
import { createLogger } from '../../lib/log.ts';
import { Labels } from '../labels.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { KindLabels } from './kind-labels.ts';

const log = createLogger('kind');

export interface TeardownTarget {
  labId: string;
  clusterName: string;
}

export async function teardownCluster(runtime: ContainerRuntime, t: TeardownTarget): Promise<{ containers: number; networks: number }> {
  // Both selectors: the lab's containers (jumpbox included) and anything carrying the cluster's kind label.
  const [byLab, byCluster] = await Promise.all([
    runtime.listContainers({ [Labels.labId]: t.labId }),
    runtime.listContainers({ [KindLabels.cluster]: t.clusterName }),
  ]);
  const ids = new Set([...byLab, ...byCluster].map((c) => c.id));
  log.info('removing kind cluster', { lab: t.labId, cluster: t.clusterName, containers: ids.size });
  await Promise.all([...ids].map((id) => runtime.removeContainer(id)));
  // Only networks labelled for this lab: kind's shared network ("kind") is never removed, as with `kind delete`.
  const networks = await runtime.listNetworks({ [Labels.labId]: t.labId });
  await Promise.all(networks.map((n) => runtime.removeNetwork(n.id)));
  return { containers: ids.size, networks: networks.length };
}
