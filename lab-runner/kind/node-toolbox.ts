// A "toolbox" lab target on a kind cluster: a container of packetwalk/node (ping, dig, jq, tcpdump, dnsmasq,
// traceroute, conntrack…) that joins a kind node's network namespace (NetworkMode container:<node>). It sees exactly
// the node's interfaces, routes, iptables/nftables and sysctls, with the tools kind node images lack — so the
// bare-node lessons (targets node1, node2) run unchanged on kind workers.
//
// Trade-off: only the network namespace is shared. Files, processes and mounts are the toolbox's own: `crictl`,
// /etc/cni, /var/run/netns/cni-* (pod namespaces) are in the node tab, and a namespace made here with `ip netns add`
// is a bind mount in the toolbox's mount namespace (invisible to the node's `ip netns list`, though its veths and
// routes are in the node's network namespace like any other).
//
// Security: not privileged; every capability dropped except the bare-node set (NODE_CAPABILITIES: networking, plus
// what tcpdump and dnsmasq need to drop privileges and root needs to manage them afterwards), since the same lesson
// scripts run here; default seccomp; memory, CPU and pid limits. Far less than a node tab, which is root in a
// privileged container.
import { ProvisionError } from '../errors.ts';
import { Labels } from '../labels.ts';
import { LAB_CPU_SHARES, NODE_CAPABILITIES } from '../nodes/node-container-spec.ts';
import { READY_MARKER, waitUntilNodeReady } from '../nodes/readiness-probe.ts';
import type { ContainerRuntime, ContainerSpec } from '../runtime/container-runtime.ts';
import { runOnNode, type NodeExecContext, type NodeRef } from './node-exec.ts';
import { TOOLBOX_IMAGE } from '../../course/sandbox/kind/target-images.ts';

export { TOOLBOX_IMAGE };
/** The bare-node set, on purpose: a by-hand lesson must behave the same on node1 of nodes-2 and node1 of kind-default. */
export const TOOLBOX_CAPABILITIES = NODE_CAPABILITIES;
export const TOOLBOX_ROLE = 'toolbox';

export interface ToolboxSpecInput {
  clusterName: string;
  /** The kind node whose network namespace the toolbox joins. */
  node: NodeRef & { suffix: string };
  /** Lesson-facing target name, e.g. "node1". */
  target: string;
  image?: string;
  /** io.packetwalk.* labels of the lab: teardown, pause and the reaper find the toolbox by them. */
  labLabels: Record<string, string>;
  /** HostConfig.Runtime (LAB_RUNTIME), as for the nodes. */
  runtime?: string;
}

export function toolboxName(clusterName: string, target: string): string {
  return `${clusterName}-${target}-toolbox`;
}

export function toolboxContainerSpec(i: ToolboxSpecInput): ContainerSpec {
  return {
    name: toolboxName(i.clusterName, i.target),
    image: i.image ?? TOOLBOX_IMAGE,
    // No kind labels: `kind get nodes` / `kind load` must never mistake a toolbox for a node.
    labels: { ...i.labLabels, [Labels.role]: TOOLBOX_ROLE, [Labels.node]: i.target },
    // packetwalk-init (the image's PID 1) makes /proc/sys/net writable when PACKETWALK_LAB is set, and removes the
    // default route unless PACKETWALK_EGRESS=true — the route belongs to the kind node here and must stay.
    env: {
      PACKETWALK_LAB: i.labLabels[Labels.labId] ?? i.clusterName,
      PACKETWALK_EGRESS: 'true',
      PACKETWALK_NODE: i.target,
      PACKETWALK_KIND_NODE: i.node.name,
    },
    // The node's network namespace, by id (a name could be reused by a later cluster). Docker refuses hostname,
    // DNS and port options with it: the toolbox shares the node's hostname, /etc/hosts and /etc/resolv.conf.
    network: `container:${i.node.id}`,
    privileged: false,
    capDrop: ['ALL'],
    capAdd: [...TOOLBOX_CAPABILITIES],
    memoryBytes: 256 * 1024 * 1024,
    nanoCpus: 1e9,
    cpuShares: LAB_CPU_SHARES,
    pidsLimit: 512,
    tmpfs: { '/run': 'rw,nosuid,nodev,size=16m', '/tmp': 'rw,nosuid,nodev,mode=1777,size=64m' },
    restartPolicy: { name: 'no' },
    init: false,
    stopSignal: 'SIGKILL',
    logMaxSize: '1m',
    logMaxFiles: 1,
    ...(i.runtime ? { runtime: i.runtime } : {}),
  };
}

export type IptablesMode = 'legacy' | 'nft';

/** The iptables backend a `readlink -f $(command -v iptables)` names: xtables-nft-multi, iptables-legacy… */
export function iptablesModeOf(resolvedPath: string): IptablesMode | undefined {
  return /-(legacy|nft)(-|$)/.exec(resolvedPath.trim().split('/').pop() ?? '')?.[1] as IptablesMode | undefined;
}

export interface StartToolboxOptions {
  runtime: ContainerRuntime;
  /** How to exec in the kind node (privileged like kind, or not for Sysbox and the stand-in). */
  nodeCtx: NodeExecContext;
  spec: ContainerSpec;
  node: NodeRef;
  step: string;
  readyTimeoutMs?: number;
}

export interface StartedToolbox extends NodeRef {
  iptables?: IptablesMode;
}

/**
 * Creates and starts a toolbox, waits for its init, then points its iptables at the backend the node uses: kind's
 * entrypoint picks legacy or nft per host, and iptables-nft cannot see rules kube-proxy wrote with iptables-legacy.
 */
export async function startToolbox(o: StartToolboxOptions): Promise<StartedToolbox> {
  const { id } = await o.runtime.createContainer(o.spec);
  const ref = { id, name: o.spec.name };
  await o.runtime.startContainer(id);
  try {
    await waitUntilNodeReady(o.runtime, id, o.spec.name, o.readyTimeoutMs ?? 30_000);
  } catch (e) {
    const pe = e as ProvisionError;
    throw new ProvisionError(
      o.step,
      `toolbox ${o.spec.name} (sharing ${o.node.name}'s network) did not write ${READY_MARKER}: ${pe.message}`,
      pe.outputTail,
      e,
    );
  }
  const resolved = await o.runtime.exec(o.node.id, {
    privileged: o.nodeCtx.privileged,
    cmd: ['sh', '-c', 'readlink -f "$(command -v iptables)"'],
    timeoutMs: 10_000,
  });
  const mode = resolved.exitCode === 0 ? iptablesModeOf(resolved.stdout) : undefined;
  if (mode) {
    const toolboxCtx: NodeExecContext = { runtime: o.runtime, privileged: false };
    await runOnNode(toolboxCtx, ref, o.step, [
      'sh',
      '-c',
      `update-alternatives --set iptables /usr/sbin/iptables-${mode} && update-alternatives --set ip6tables /usr/sbin/ip6tables-${mode}`,
    ]);
  }
  return { ...ref, ...(mode ? { iptables: mode } : {}) };
}
