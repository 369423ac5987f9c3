// Steps "kubeadm init" to "wait for ready": the control plane, the default CNI and storage, the workers, and the
// wait until the nodes are Ready.
import { ProvisionError } from '../../errors.ts';
import { CNI_MANIFEST_PATH, prepareDefaultCni } from '../default-cni.ts';
import { storageManifest, STORAGE_MANIFEST_PATH } from '../default-storage.ts';
import { readFileOnNode, runOnNode } from '../node-exec.ts';
import { internalApiEndpoint } from '../../../course/sandbox/kind/node-plan.ts';
import { waitForNodesReady } from '../wait-for-ready.ts';
import type { KindStart, NodesConfigured } from './step-context.ts';

const KUBECTL = ['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf'];

/** `kubeadm init` on the control plane (`timeoutMs`: a safety net for a hung exec, see kubeadmTimeoutMs). */
export async function initControlPlane(c: KindStart & NodesConfigured, timeoutMs: number): Promise<void> {
  await runOnNode(c.nodeCtx, c.controlPlane, 'kubeadm init', ['kubeadm', 'init', '--config=/kind/kubeadm.conf', '--skip-token-print', '--v=6'], { timeoutMs });
  if (c.plan.length === 1) {
    // Single node: let workloads schedule on the control plane, as kind does.
    await runOnNode(c.nodeCtx, c.controlPlane, 'kubeadm init', [...KUBECTL, 'taint', 'nodes', '--all', 'node-role.kubernetes.io/control-plane-']);
    await runOnNode(c.nodeCtx, c.controlPlane, 'kubeadm init', [
      ...KUBECTL,
      'label',
      'nodes',
      '--all',
      'node.kubernetes.io/exclude-from-external-load-balancers-',
    ]);
  }
}

/** The node image's own CNI manifest (kindnet), set to the cluster's pod subnet; nothing with disableDefaultCNI. */
export async function installCni(c: KindStart & NodesConfigured, timeoutMs: number): Promise<void> {
  if (c.cfg.networking.disableDefaultCNI) return;
  const raw = await readFileOnNode(c.nodeCtx, c.controlPlane, 'install CNI', CNI_MANIFEST_PATH, 8 * 1024 * 1024);
  if (raw === undefined) throw new ProvisionError('install CNI', `${CNI_MANIFEST_PATH} is missing from ${c.controlPlane.name}; is this a kindest/node image?`);
  const manifest = prepareDefaultCni(raw, { podSubnet: c.cfg.networking.podSubnet, controlPlaneEndpoint: internalApiEndpoint(c.plan) });
  await runOnNode(c.nodeCtx, c.controlPlane, 'install CNI', ['kubectl', 'create', '--kubeconfig=/etc/kubernetes/admin.conf', '-f', '-'], {
    stdin: manifest,
    timeoutMs,
  });
}

export async function installStorage(c: KindStart & NodesConfigured, timeoutMs: number): Promise<void> {
  const fromNode = await readFileOnNode(c.nodeCtx, c.controlPlane, 'install storage', STORAGE_MANIFEST_PATH, 8 * 1024 * 1024);
  await runOnNode(c.nodeCtx, c.controlPlane, 'install storage', [...KUBECTL, 'apply', '-f', '-'], { stdin: storageManifest(fromNode), timeoutMs });
}

/** Workers join concurrently (extra control planes would go one by one; packetwalk allows one). */
export async function joinWorkers(c: KindStart & NodesConfigured, timeoutMs: number): Promise<void> {
  await Promise.all(
    c.nodes
      .filter((n) => n.role === 'worker')
      .map((n) => runOnNode(c.nodeCtx, n, 'kubeadm join', ['kubeadm', 'join', '--config', '/kind/kubeadm.conf', '--v=6'], { timeoutMs })),
  );
}

/**
 * Every node Ready; without a CNI nodes stay NotReady until the learner installs one, so then only registered.
 * Past readyTimeoutMs a warning says the host is slow; `giveUpMs` ends the wait (and the cluster).
 */
export async function waitForReady(c: KindStart & NodesConfigured, giveUpMs: number): Promise<void> {
  await waitForNodesReady(c.nodeCtx, c.controlPlane, c.nodes.length, giveUpMs, !c.cfg.networking.disableDefaultCNI, {
    warnAfterMs: c.o.readyTimeoutMs,
    onWarn: c.warn,
  });
}
