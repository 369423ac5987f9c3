// `kind delete cluster` removes a cluster's node containers (found by kind's cluster label) and nothing else: the
// lab's jumpbox, toolboxes and per-cluster network carry no kind label, on purpose (kind must never take them for
// nodes). Without their nodes they are useless, so the reaper treats such a lab as gone and removes the rest.
import type { ContainerInfo } from '../runtime/container-runtime.ts';
import { KindLabels } from './kind-labels.ts';

/** True for a kind lab whose containers are all helpers: every node container has been removed. */
export function kindNodesGone(labRuntime: string, containers: ContainerInfo[]): boolean {
  return labRuntime === 'kind' && containers.length > 0 && !containers.some((c) => c.labels[KindLabels.cluster] !== undefined);
}
