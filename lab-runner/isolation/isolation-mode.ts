// What confines a lab node on a given engine, and what that guarantees. One word per mode, one sentence each; the
// escape tests (tests/integration/isolation/) assert the guarantees per mode, docs/architecture/isolation.md explains them.
import type { EngineInfo } from '../runtime/container-runtime.ts';

/**
 * - userns: the engine remaps user namespaces (dockerd --userns-remap): root in a node is an unprivileged uid on the
 *   host, so host-global files and kernel knobs stay out of reach even with CAP_SYS_ADMIN inside.
 * - rootless: rootless Docker; the whole engine runs as an ordinary user, nodes in its user namespace.
 * - sysbox: LAB_RUNTIME=sysbox-runc; a user namespace per container plus sysbox's own filesystem virtualisation.
 * - apparmor: no user namespace, but nodes run under the packetwalk-node AppArmor profile, which allows the lessons'
 *   mounts and denies the mounts and /proc writes that escapes use. Kernel bugs behind allowed syscalls stay a risk.
 * - none: nodes are root with CAP_SYS_ADMIN in the host's user namespace and nothing else confines them: a learner
 *   can reach root on the host (cgroup v1 release_agent, /proc/sys remount). Fine for one learner on their own machine.
 */
export type IsolationMode = 'userns' | 'rootless' | 'sysbox' | 'apparmor' | 'none';

export const ISOLATION_MEANING: Record<IsolationMode, string> = {
  userns:
    'user namespaces (userns-remap): root in a node is an unprivileged uid on the host; cgroup mounts, kernel.core_pattern, sysrq and module loading are closed',
  rootless: 'rootless Docker: the engine and every node run as an ordinary user; root in a node is that user on the host',
  sysbox: 'sysbox-runc: each node in its own user namespace with virtualised /proc and /sys',
  apparmor:
    "AppArmor profile packetwalk-node: the lessons' mounts are allowed, cgroup/proc mounts and writes to /proc/sys outside net.* are denied; root in a node is still root on the host for kernel bugs",
  none: "no confinement: a node is root with CAP_SYS_ADMIN in the host's user namespace and can reach root on the host (cgroup release_agent, /proc/sys remount): only for a single learner on their own machine",
};

/** Modes that close the known escapes' preconditions (what a site serving more than one person requires). */
export function isConfining(mode: IsolationMode): boolean {
  return mode !== 'none';
}

/** The confinement the engine itself gives (without the packetwalk AppArmor profile, which is chosen per container). */
export function engineIsolation(info: Pick<EngineInfo, 'securityOptions' | 'rootless'>, labRuntime?: string): Exclude<IsolationMode, 'apparmor'> {
  if (labRuntime?.startsWith('sysbox')) return 'sysbox';
  if (info.rootless || info.securityOptions.some((o) => o.split(',')[0] === 'name=rootless')) return 'rootless';
  if (info.securityOptions.some((o) => o.split(',')[0] === 'name=userns')) return 'userns';
  return 'none';
}

/** True when the engine applies AppArmor profiles (Ubuntu, Debian with AppArmor on): docker-default then denies mount(2). */
export function engineHasAppArmor(info: Pick<EngineInfo, 'securityOptions'>): boolean {
  return info.securityOptions.some((o) => o.split(',')[0] === 'name=apparmor');
}
