// The lesson-facing targets of a template (node1, node2; for kind: jumpbox, worker = kind-worker, node1 = a toolbox
// in kind-worker's network namespace...).
import { JUMPBOX_IMAGE, TOOLBOX_IMAGE } from './kind/target-images.ts';
import { DEFAULT_NODE_RESOURCES } from './nodes-sandbox-schema.ts';
import type { Sandbox } from './sandbox-schema.ts';

/** A lesson-facing target as a template declares it; the engine's LabTarget adds the container it runs in. */
export interface TargetDescription {
  /** Lesson-facing name: "node1", "node2", "jumpbox". */
  name: string;
  kind: 'node' | 'jumpbox';
  /** Shown on the terminal tab. */
  title: string;
}

export function sandboxTargets(sandbox: Sandbox): TargetDescription[] {
  switch (sandbox.runtime) {
    case 'nodes':
      return sandbox.nodes.map((n) => ({ name: n.name, kind: 'node', title: n.title ?? n.name }));
    case 'kind':
      // A kind toolbox is a node shell to lessons and the UI (it shares a kind node's network namespace).
      return sandbox.targets.map((t) => ({ name: t.name, kind: t.kind === 'jumpbox' ? 'jumpbox' : 'node', title: t.title ?? t.name }));
  }
}

/** Images a template needs on the Docker host (built by "npm run images" when they are packetwalk/<name>, pulled otherwise). */
export function sandboxImages(sandbox: Sandbox): string[] {
  switch (sandbox.runtime) {
    case 'nodes':
      return [...new Set(sandbox.nodes.map((n) => n.image))];
    case 'kind':
      return [
        ...new Set([
          sandbox.nodeImage,
          ...(sandbox.targets.some((t) => t.kind === 'jumpbox') ? [sandbox.jumpbox.image ?? JUMPBOX_IMAGE] : []),
          ...(sandbox.targets.some((t) => t.kind === 'toolbox') ? [sandbox.toolbox.image ?? TOOLBOX_IMAGE] : []),
        ]),
      ];
  }
}

/** Memory a lab of this template may use at most (its limits), for capacity estimates on remote engines. */
export function sandboxMemoryBudget(sandbox: Sandbox): number {
  switch (sandbox.runtime) {
    case 'nodes':
      return sandbox.nodes.reduce((sum, n) => sum + (n.resources?.memory ?? sandbox.defaults?.memory ?? DEFAULT_NODE_RESOURCES.memory), 0);
    case 'kind':
      // kind sets no limits; kubeadm recommends about 2 GB per node. Toolboxes are capped at 256 MiB each.
      return sandbox.cluster.nodes.length * 2 * 1024 ** 3 + sandbox.targets.filter((t) => t.kind === 'toolbox').length * 256 * 1024 ** 2;
  }
}
