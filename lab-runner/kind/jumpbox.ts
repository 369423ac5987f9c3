// The learner's default terminal for a kind lab: an unprivileged container on the cluster's network with kubectl
// of the cluster's own version and a kubeconfig pointing at https://<cluster>-control-plane:6443.
// kubectl is copied out of the control-plane node at provision time (never downloaded), so versions always match.
import type { ContainerSpec } from '../runtime/container-runtime.ts';
import { Labels } from '../labels.ts';
import { LAB_CPU_SHARES } from '../nodes/node-container-spec.ts';
import type { NodeExecContext, NodeRef } from './node-exec.ts';
import { runOnNode } from './node-exec.ts';
import { JUMPBOX_IMAGE, JUMPBOX_USER } from '../../course/sandbox/kind/target-images.ts';

export { JUMPBOX_IMAGE, JUMPBOX_USER };
export const JUMPBOX_STEP = 'start jumpbox';
export const NODE_KUBECTL_PATH = '/usr/bin/kubectl';
export const JUMPBOX_KUBECTL_PATH = '/usr/local/bin/kubectl';

export interface JumpboxSpecInput {
  clusterName: string;
  network: string;
  image?: string;
  labLabels: Record<string, string>;
  /** HostConfig.Runtime (LAB_RUNTIME); the jumpbox needs none, but an isolating runtime costs nothing here. */
  runtime?: string;
}

export function jumpboxName(clusterName: string): string {
  return `${clusterName}-jumpbox`;
}

export function jumpboxContainerSpec(i: JumpboxSpecInput): ContainerSpec {
  return {
    name: jumpboxName(i.clusterName),
    hostname: 'jumpbox',
    image: i.image ?? JUMPBOX_IMAGE,
    // No kind labels: `kind get nodes` / `kind load` must never mistake the jumpbox for a node.
    labels: { ...i.labLabels, [Labels.role]: 'jumpbox', [Labels.node]: 'jumpbox' },
    cmd: ['sleep', 'infinity'],
    init: true,
    tty: false,
    network: i.network,
    env: { LANG: 'C.UTF-8', KUBECONFIG: `/home/${JUMPBOX_USER}/.kube/config` },
    privileged: false,
    // Unprivileged: every capability dropped except NET_RAW (ping, traceroute, raw-socket probes).
    capDrop: ['ALL'],
    capAdd: ['NET_RAW'],
    securityOpt: ['no-new-privileges'],
    memoryBytes: 256 * 1024 * 1024,
    cpuShares: LAB_CPU_SHARES,
    pidsLimit: 512,
    tmpfs: { '/tmp': 'size=64m' },
    restartPolicy: { name: 'no' },
    logMaxSize: '1m',
    logMaxFiles: 1,
    ...(i.runtime ? { runtime: i.runtime } : {}),
  };
}

// kubectl is ~50 MB; gzip+base64 keeps the exec output text-safe (ExecResult.stdout is a string) and ~3x smaller.
const COPY_LIMIT = 160 * 1024 * 1024;

/** Copies kubectl from a node into the jumpbox: `gzip -c | base64` out of the node, `base64 -d | gunzip` in. */
export async function copyKubectl(nodeCtx: NodeExecContext, from: NodeRef, jumpboxCtx: NodeExecContext, to: NodeRef): Promise<{ bytes: number }> {
  const packed = await runOnNode(nodeCtx, from, JUMPBOX_STEP, ['sh', '-c', `gzip -c ${NODE_KUBECTL_PATH} | base64 -w0`], {
    maxOutputBytes: COPY_LIMIT,
    timeoutMs: 120_000,
  });
  if (packed.truncated) throw new Error(`kubectl from ${from.name} is larger than ${COPY_LIMIT} bytes once packed`);
  await runOnNode(
    jumpboxCtx,
    to,
    JUMPBOX_STEP,
    [
      'sh',
      '-c',
      `base64 -d | gunzip > ${JUMPBOX_KUBECTL_PATH}.new && chmod 0755 ${JUMPBOX_KUBECTL_PATH}.new && mv ${JUMPBOX_KUBECTL_PATH}.new ${JUMPBOX_KUBECTL_PATH}`,
    ],
    {
      stdin: packed.stdout,
      user: 'root',
      timeoutMs: 120_000,
    },
  );
  return { bytes: Math.floor((packed.stdout.length * 3) / 4) };
}

/** Writes the learner's kubeconfig (mode 0600, owned by the learner). */
export async function writeJumpboxKubeconfig(ctx: NodeExecContext, jumpbox: NodeRef, kubeconfig: string): Promise<void> {
  await runOnNode(
    ctx,
    jumpbox,
    JUMPBOX_STEP,
    ['sh', '-c', 'umask 077 && mkdir -p "$HOME/.kube" && cat > "$HOME/.kube/config.new" && mv "$HOME/.kube/config.new" "$HOME/.kube/config"'],
    {
      stdin: kubeconfig,
      user: JUMPBOX_USER,
      env: { HOME: `/home/${JUMPBOX_USER}` },
    },
  );
}
