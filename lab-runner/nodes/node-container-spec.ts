// The container behind one lab node. Security posture (see docs/architecture/isolation.md):
// every capability dropped except NET_ADMIN (interfaces, routes, iptables, tc), NET_RAW (ping, tcpdump) and
// SYS_ADMIN (ip netns add, mount --bind for /proc/sys/net), plus what root needs for the tools that drop privileges
// (NODE_CAPABILITIES); never privileged, never the Docker socket; default seccomp; hard memory (no swap), CPU, PID,
// tmpfs and log limits.
import { Labels } from '../labels.ts';
import type { ContainerSpec } from '../runtime/container-runtime.ts';
import { DEFAULT_NODE_RESOURCES, type NodeDefinition, type NodesSandbox } from '../../course/sandbox/nodes-sandbox-schema.ts';

/**
 * NET_ADMIN, NET_RAW and SYS_ADMIN are the networking the lessons teach. They were not enough: tcpdump and dnsmasq start
 * as root and switch to their own user ("tcpdump", "nobody"), which needs SETUID and SETGID (without them tcpdump exits
 * with "Couldn't change to 'tcpdump' uid=100: Operation not permitted", and dnsmasq with "failed to change group-id").
 * Once they run as another user, root needs KILL to stop them (pkill dnsmasq: "Operation not permitted"), CHOWN because
 * `tcpdump -w` hands the capture file to its user ("Couldn't change ownership of savefile") and dnsmasq its log and pid
 * files, and DAC_OVERRIDE and FOWNER to overwrite, truncate or chmod the files those users now own (a second
 * `tcpdump -w` to the same file, `: > dnsmasq.log`). NET_BIND_SERVICE lets root bind ports below 1024 in the network
 * namespaces lessons use as pods (`ip netns add`): a new namespace starts with ip_unprivileged_port_start=1024 (Docker
 * sets 0 only in the container's own), so dnsmasq on :53 or a web server on :80 in a "pod" failed with EACCES.
 * All seven are in Docker's default set and act only inside the node's own namespaces and files.
 */
export const NODE_CAPABILITIES = [
  'NET_ADMIN',
  'NET_RAW',
  'SYS_ADMIN',
  'SETUID',
  'SETGID',
  'KILL',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'NET_BIND_SERVICE',
] as const;

export function nodeContainerName(labId: string, node: string): string {
  return `pw-${labId}-${node}`;
}

export function labNetworkName(labId: string, network: string): string {
  return `pw-${labId}-${network}`;
}

/** The networks a node is attached to, primary first. */
export function nodeNetworks(sandbox: NodesSandbox, node: NodeDefinition): string[] {
  return node.networks ?? [sandbox.networks[0]!.name];
}

export interface NodeSpecInput {
  labId: string;
  sandbox: NodesSandbox;
  node: NodeDefinition;
  labels: Record<string, string>;
  /** HostConfig.Runtime (LAB_RUNTIME). */
  containerRuntime?: string;
  /** Extra SecurityOpt from the isolation policy, e.g. apparmor=packetwalk-node. */
  securityOpt?: string[];
}

/**
 * A lab's weight when the CPU is contended: a quarter of the default 1024 that the server's own cgroup (a systemd
 * service, a login session) and every other process group has, so a learner's busy loops yield to the server that
 * carries everyone's keystrokes (cgroup v2: cpu.weight ≈ 10 against the default 100). NanoCpus still caps each node.
 */
export const LAB_CPU_SHARES = 256;

export function nodeContainerSpec(i: NodeSpecInput): ContainerSpec {
  const r = { ...DEFAULT_NODE_RESOURCES, ...definedOnly(i.sandbox.defaults ?? {}), ...definedOnly(i.node.resources ?? {}) };
  const primary = nodeNetworks(i.sandbox, i.node)[0]!;
  const egress = i.sandbox.networks.find((n) => n.name === primary)?.egress ?? false;
  return {
    name: nodeContainerName(i.labId, i.node.name),
    hostname: i.node.name,
    image: i.node.image,
    labels: { ...i.labels, [Labels.node]: i.node.name, [Labels.role]: i.node.role },
    env: { PACKETWALK_EGRESS: String(egress), PACKETWALK_NODE: i.node.name, PACKETWALK_LAB: i.labId },
    network: labNetworkName(i.labId, primary),
    networkAliases: [i.node.name],
    privileged: false,
    capDrop: ['ALL'],
    capAdd: [...NODE_CAPABILITIES],
    ...(i.securityOpt?.length ? { securityOpt: i.securityOpt } : {}),
    memoryBytes: r.memory,
    nanoCpus: Math.round(r.cpus * 1e9),
    cpuShares: LAB_CPU_SHARES,
    pidsLimit: r.pids,
    tmpfs: { '/run': `rw,nosuid,nodev,size=${r.runSize}`, '/tmp': `rw,nosuid,nodev,mode=1777,size=${r.tmpSize}` },
    sysctls: i.node.role === 'router' ? { 'net.ipv4.ip_forward': '1' } : undefined,
    // Without egress no DNS server beyond Docker's embedded one answers: fail unknown names in ~1 s, not ~20 s.
    dnsOptions: egress ? undefined : ['timeout:1', 'attempts:1'],
    restartPolicy: { name: 'no' },
    // The image's own init (packetwalk-init) is PID 1: it shrugs off "kill 1" and reaps zombies.
    init: false,
    stopSignal: 'SIGKILL',
    logMaxSize: '1m',
    logMaxFiles: 2,
    ...(i.containerRuntime ? { runtime: i.containerRuntime } : {}),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
