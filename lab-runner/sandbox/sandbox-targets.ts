// The lesson-facing targets of a template (node1, node2; for kind: jumpbox, node1 = kind-worker...).
import type { LabTarget } from '../lab/lab.ts';
import { JUMPBOX_IMAGE } from '../kind/jumpbox.ts';
import { DEFAULT_NODE_RESOURCES } from './nodes-sandbox-schema.ts';
import type { Sandbox } from './sandbox-schema.ts';

export type TargetDescription = Pick<LabTarget, 'name' | 'kind' | 'title'>;

export function sandboxTargets(sandbox: Sandbox): TargetDescription[] {
  switch (sandbox.runtime) {
    case 'nodes':
      return sandbox.nodes.map((n) => ({ name: n.name, kind: 'node', title: n.title ?? n.name }));
    case 'kind':
      return sandbox.targets.map((t) => ({ name: t.name, kind: t.kind, title: t.title ?? t.name }));
  }
}

/** Images a template needs on the Docker host (built by "npm run images" when they are packetwalk/<name>, pulled otherwise). */
export function sandboxImages(sandbox: Sandbox): string[] {
  switch (sandbox.runtime) {
    case 'nodes':
      return [...new Set(sandbox.nodes.map((n) => n.image))];
    case 'kind':
      return [...new Set([sandbox.nodeImage, ...(sandbox.targets.some((t) => t.kind === 'jumpbox') ? [sandbox.jumpbox.image ?? JUMPBOX_IMAGE] : [])])];
  }
}

/** Memory a lab of this template may use at most (its limits), for capacity estimates on remote engines. */
export function sandboxMemoryBudget(sandbox: Sandbox): number {
  switch (sandbox.runtime) {
    case 'nodes':
      return sandbox.nodes.reduce((sum, n) => sum + (n.resources?.memory ?? sandbox.defaults?.memory ?? DEFAULT_NODE_RESOURCES.memory), 0);
    case 'kind':
      // kind sets no limits; kubeadm recommends about 2 GB per node.
      return sandbox.targets.filter((t) => t.kind === 'node').length * 2 * 1024 ** 3;
  }
}
