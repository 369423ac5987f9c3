// The host agent's container: one per Docker host, in the host's network namespace, able to change the host's
// firewall (NET_ADMIN) and nothing else it does not need. Security posture (docs/architecture/engine-labs.md, "Host agent"):
//  - NetworkMode host + CapDrop ALL + CapAdd NET_ADMIN, NET_RAW (iptables needs both); never privileged;
//  - no Docker socket, no host mounts, default seccomp and AppArmor; small memory, CPU and PID limits;
//  - its command only sleeps: the image's init (packetwalk-init) never runs, so nothing touches the host's routes or
//    sysctls on start. The lab runner execs bridge-rules.sh into it; nothing else does.
// Labelled managed (so "docker ps --filter label=io.packetwalk.managed" shows it) but with no lab id, so the reaper,
// which works lab by lab, leaves it alone; restart unless-stopped, so it survives engine restarts.
import { Labels } from '../labels.ts';
import type { ContainerSpec } from '../runtime/container-runtime.ts';

export const HOST_AGENT_NAME = 'packetwalk-host-agent';
export const HOST_AGENT_ROLE = 'host-agent';
export const HOST_AGENT_CAPABILITIES = ['NET_ADMIN', 'NET_RAW'] as const;
/** Bumped when the spec changes: an agent created from an older spec is replaced (a running container keeps its limits). */
export const HOST_AGENT_SPEC_VERSION = '2';

export function hostAgentSpec(i: { image: string; name?: string; remappedEngine?: boolean }): ContainerSpec {
  return {
    name: i.name ?? HOST_AGENT_NAME,
    image: i.image,
    labels: {
      [Labels.managed]: 'true',
      [Labels.role]: HOST_AGENT_ROLE,
      [Labels.specVersion]: HOST_AGENT_SPEC_VERSION,
      [Labels.createdBy]: `${process.env.HOSTNAME ?? 'host'}:${process.pid}`,
    },
    // Docker's "host" network: the host's own network namespace (no hostname, DNS or alias settings allowed there).
    network: 'host',
    // On an engine with userns-remap, a container in a remapped user namespace cannot use the host's network
    // namespace (Docker refuses it) nor would its NET_ADMIN reach the host's firewall: the agent stays in the host's.
    usernsMode: 'host',
    entrypoint: ['sleep', 'infinity'],
    privileged: false,
    capDrop: ['ALL'],
    // On an engine with userns-remap the agent's root filesystem belongs to the remapped root (btrfs makes its top
    // directory 0700), which the agent's real root cannot enter without DAC_READ_SEARCH ("stat /sbin/docker-init:
    // permission denied"). It reads only the agent's own files: the agent mounts nothing from the host.
    capAdd: [...HOST_AGENT_CAPABILITIES, ...(i.remappedEngine ? ['DAC_READ_SEARCH'] : [])],
    memoryBytes: 64 * 1024 * 1024,
    nanoCpus: 500_000_000,
    // Labs are created and destroyed concurrently and each exec runs bash + iptables: 64 PIDs ran out under a
    // 5-labs-at-a-time load (fork: Resource temporarily unavailable), so leave room for dozens at once.
    pidsLimit: 512,
    tmpfs: { '/run': 'rw,nosuid,nodev,size=1m', '/tmp': 'rw,nosuid,nodev,mode=1777,size=1m' },
    restartPolicy: { name: 'unless-stopped' },
    // Docker's init as PID 1 reaps processes orphaned by execs (sleep would leave them as zombies counting against
    // the PID limit).
    init: true,
    stopSignal: 'SIGKILL',
    logMaxSize: '1m',
    logMaxFiles: 1,
  };
}
