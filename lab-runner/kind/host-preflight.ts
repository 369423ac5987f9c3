// Host checks before creating a kind cluster, each with the fix a person can apply. The policy is kind's own:
// fail only for what really stops a cluster (no engine, cgroup v1 with Kubernetes ≥ 1.35, userns-remap without
// an opt-out, rootless on cgroup v1, memory far too low); warn for kind's "known issues" (inotify limits) and for
// kernel features that only some lessons need (naming those lessons).
// evaluatePreflight is pure (unit-tested over host profiles); gatherHostFacts does the looking.
import { readFile, statfs } from 'node:fs/promises';
import type { ContainerRuntime, EngineInfo } from '../runtime/container-runtime.ts';
import { LabRunnerError } from '../errors.ts';
import { KERNEL_FEATURES, readModuleStates, type ModuleState } from './kernel-features.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it; present when status is not ok. */
  fix?: string;
  /** Lesson ids (module slug/lesson slug) this check's problem stops; absent when it concerns every kind lab or none. */
  lessons?: string[];
}

export interface HostFacts {
  /** undefined: the engine could not be reached (message). */
  engine: EngineInfo | { error: string };
  inotifyMaxUserWatches?: number;
  inotifyMaxUserInstances?: number;
  /** MemAvailable of the Docker host, bytes. */
  memAvailableBytes?: number;
  /** Whether the facts above were read on the Docker host itself (false for a remote DOCKER_HOST or Docker Desktop's VM). */
  localHost: boolean;
  /**
   * Filesystem under Docker's root dir, read with statfs on a local engine. The containerd image store reports no
   * "Backing Filesystem", so this is how a btrfs/xfs/zfs host is recognised there (kind itself misses it).
   */
  dockerRootFilesystem?: string;
  /** State of the kernel modules some lessons need (kernel-features.ts); undefined when they could not be read. */
  kernelModules?: Record<string, ModuleState>;
}

export const MIN_INOTIFY_WATCHES = 524_288;
export const MIN_INOTIFY_INSTANCES = 512;
export const RECOMMENDED_BYTES_PER_NODE = 2 * 1024 ** 3;
const GiB = 1024 ** 3;

function versionAtLeast(v: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(v);
  if (!m) return false;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

export interface PreflightRequest {
  nodeCount: number;
  /** Minor version of the node image's Kubernetes (cgroup v1 is refused by the kubelet from 1.35). */
  kubernetesMinor: number;
}

export function evaluatePreflight(f: HostFacts, req: PreflightRequest): CheckResult[] {
  const out: CheckResult[] = [];
  if ('error' in f.engine) {
    out.push({
      name: 'Docker reachable',
      status: 'fail',
      detail: f.engine.error,
      fix: 'Start the engine (sudo systemctl start docker) or set DOCKER_HOST to a running one.',
    });
    return out;
  }
  const e = f.engine;
  out.push({ name: 'Docker reachable', status: 'ok', detail: `engine ${e.serverVersion}, API ${e.apiVersion}, ${e.operatingSystem}` });
  out.push(
    versionAtLeast(e.apiVersion, 1, 41)
      ? { name: 'Engine version', status: 'ok', detail: `API ${e.apiVersion} supports private cgroup namespaces` }
      : {
          name: 'Engine version',
          status: 'fail',
          detail: `API ${e.apiVersion} is older than 1.41`,
          fix: 'Upgrade Docker to 20.10 or newer: kind nodes need --cgroupns=private.',
        },
  );
  if (e.cgroupVersion === '1') {
    out.push(
      req.kubernetesMinor >= 35
        ? {
            name: 'cgroups',
            status: 'fail',
            detail: `cgroup v1 (${e.cgroupDriver} driver): Kubernetes 1.${req.kubernetesMinor}'s kubelet refuses cgroup v1`,
            fix: 'Boot the host with cgroup v2 (kernel parameter systemd.unified_cgroup_hierarchy=1) or use a node image older than v1.35.',
          }
        : {
            name: 'cgroups',
            status: 'warn',
            detail: `cgroup v1 (${e.cgroupDriver} driver) is deprecated for Kubernetes`,
            fix: 'Move the host to cgroup v2 (systemd.unified_cgroup_hierarchy=1).',
          },
    );
  } else {
    out.push({ name: 'cgroups', status: 'ok', detail: `cgroup v${e.cgroupVersion}, ${e.cgroupDriver} driver` });
  }
  if (e.securityOptions.some((o) => o.includes('name=userns'))) {
    out.push({
      name: 'User namespaces',
      status: 'warn',
      detail:
        "the daemon remaps user namespaces (userns-remap); kind nodes run with --userns=host, privileged in the host's user namespace, so this engine does not confine kind labs",
      fix: 'For confined kind labs use an isolating runtime such as Sysbox (LAB_RUNTIME=sysbox-runc).',
    });
  }
  if (e.rootless) out.push(rootlessCheck(e));
  const where = f.localHost ? '' : ' (read on this machine, not on the remote Docker host)';
  if (f.inotifyMaxUserWatches !== undefined) {
    out.push(
      f.inotifyMaxUserWatches >= MIN_INOTIFY_WATCHES
        ? { name: 'inotify watches', status: 'ok', detail: `fs.inotify.max_user_watches=${f.inotifyMaxUserWatches}${where}` }
        : {
            name: 'inotify watches',
            status: 'warn',
            detail: `fs.inotify.max_user_watches=${f.inotifyMaxUserWatches} (< ${MIN_INOTIFY_WATCHES}); with many pods some may fail with "too many open files" (a kind known issue, not a kind requirement)${where}`,
            fix: `sudo sysctl fs.inotify.max_user_watches=${MIN_INOTIFY_WATCHES} (persist it in /etc/sysctl.d/99-kind.conf)`,
          },
    );
  }
  if (f.inotifyMaxUserInstances !== undefined) {
    out.push(
      f.inotifyMaxUserInstances >= MIN_INOTIFY_INSTANCES
        ? { name: 'inotify instances', status: 'ok', detail: `fs.inotify.max_user_instances=${f.inotifyMaxUserInstances}${where}` }
        : {
            name: 'inotify instances',
            status: 'warn',
            detail: `fs.inotify.max_user_instances=${f.inotifyMaxUserInstances} (< ${MIN_INOTIFY_INSTANCES}); several clusters at once may hit "too many open files" (a kind known issue, not a kind requirement)${where}`,
            fix: `sudo sysctl fs.inotify.max_user_instances=${MIN_INOTIFY_INSTANCES} (persist it in /etc/sysctl.d/99-kind.conf)`,
          },
    );
  }
  const available = f.memAvailableBytes ?? e.memTotalBytes;
  const wanted = req.nodeCount * RECOMMENDED_BYTES_PER_NODE;
  const label = `${(available / GiB).toFixed(1)} GiB available for ${req.nodeCount} node${req.nodeCount === 1 ? '' : 's'} (~2 GiB each recommended)`;
  if (available >= wanted) out.push({ name: 'Free memory', status: 'ok', detail: label });
  else if (available >= wanted / 2)
    out.push({
      name: 'Free memory',
      status: 'warn',
      detail: label,
      fix: "Expect slow or failing pods; free memory, use fewer nodes, or give Docker Desktop's VM 6-8 GB.",
    });
  else
    out.push({
      name: 'Free memory',
      status: 'fail',
      detail: label,
      fix: 'Free memory or use a template with fewer nodes (kubeadm recommends ~2 GB per node).',
    });
  out.push(...kernelFeatureChecks(f));
  return out;
}

/** kind's rule for rootless engines (create.go validateProvider): cgroup v2, and memory, pids and cpu delegated. */
function rootlessCheck(e: EngineInfo): CheckResult {
  const name = 'Rootless Docker';
  if (e.cgroupVersion !== '2') {
    return {
      name,
      status: 'fail',
      detail: 'rootless engine on cgroup v1: kind requires cgroup v2 for rootless',
      fix: 'Boot the host with cgroup v2 (systemd.unified_cgroup_hierarchy=1), or use rootful Docker.',
    };
  }
  const fix =
    "Delegate cgroup controllers to the user: a systemd drop-in for user@.service with Delegate=yes (kind's rootless guide), then restart the user's Docker.";
  if (!e.cgroupLimits) return { name, status: 'warn', detail: 'rootless engine: cgroup delegation could not be read from the engine', fix };
  const missing = (['memory', 'pids', 'cpuShares'] as const).filter((k) => !e.cgroupLimits![k]);
  if (missing.length)
    return { name, status: 'fail', detail: `rootless engine without cgroup delegation (no ${missing.join(', ')} limits): kubelets cannot start`, fix };
  return {
    name,
    status: 'ok',
    detail: "rootless engine with cgroup v2 delegation: nodes get kind's rootless settings (KubeletInUserNamespace, /dev/fuse, no conntrack sysctls)",
  };
}

/** One check per kernel feature some lessons need: a warning naming those lessons when the host lacks it. */
export function kernelFeatureChecks(f: Pick<HostFacts, 'kernelModules' | 'localHost'>): CheckResult[] {
  return KERNEL_FEATURES.map((feature): CheckResult => {
    const name = `Kernel: ${feature.title}`;
    const lessons = [...feature.lessons];
    if (!f.kernelModules) {
      const why = f.localHost ? 'the kernel module lists (/lib/modules) cannot be read here' : 'the Docker host is not this machine';
      return {
        name,
        status: 'warn',
        detail: `not checked: ${why}; ${feature.why}`,
        fix: `Check on the Docker host: modinfo ${feature.modules.join(' ')}`,
        lessons,
      };
    }
    const missing = feature.modules.filter((m) => (f.kernelModules![m] ?? 'missing') === 'missing');
    if (!missing.length) return { name, status: 'ok', detail: feature.modules.map((m) => `${m} ${f.kernelModules![m]}`).join(', ') };
    return {
      name,
      status: 'warn',
      detail: `${missing.join(', ')} not in this kernel: ${feature.why}. Lessons that cannot be finished here: ${lessons.join(', ')}`,
      fix: `Install the kernel's extra modules (Ubuntu: linux-modules-extra-$(uname -r); others: a kernel with CONFIG_${feature.id === 'nfqueue' ? 'NETFILTER_NETLINK_QUEUE and CONFIG_NFT_QUEUE' : 'NETFILTER_XT_MATCH_RECENT'}), then "sudo modprobe ${missing.join(' ')}".`,
      lessons,
    };
  });
}

/** Lessons a host cannot run, from preflight results (for the catalog and doctor). */
export function lessonsBlockedBy(results: CheckResult[]): { lesson: string; check: string }[] {
  return results
    .filter((r) => r.status !== 'ok' && r.lessons && !r.detail.startsWith('not checked'))
    .flatMap((r) => r.lessons!.map((lesson) => ({ lesson, check: r.name })));
}

function readNumber(text: string): number | undefined {
  const n = Number.parseInt(text.trim(), 10);
  return Number.isFinite(n) ? n : undefined;
}

async function readProc(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The Docker host is this machine unless DOCKER_HOST points elsewhere. */
export function dockerHostIsLocal(env: Record<string, string | undefined>): boolean {
  const h = env.DOCKER_HOST;
  return !h || h.startsWith('unix://') || /^tcp:\/\/(127\.0\.0\.1|localhost)[:/]/.test(h);
}

export async function gatherHostFacts(runtime: ContainerRuntime, env: Record<string, string | undefined> = process.env): Promise<HostFacts> {
  let engine: HostFacts['engine'];
  try {
    await runtime.ping();
    engine = await runtime.info();
  } catch (e) {
    engine = { error: (e as Error).message };
  }
  const watches = await readProc('/proc/sys/fs/inotify/max_user_watches');
  const instances = await readProc('/proc/sys/fs/inotify/max_user_instances');
  const meminfo = await readProc('/proc/meminfo');
  const memKb = meminfo ? /^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1] : undefined;
  // Docker Desktop runs the engine in a VM: this machine's /proc says nothing about it.
  const local = dockerHostIsLocal(env) && !('operatingSystem' in engine && /docker desktop/i.test(engine.operatingSystem));
  return {
    engine,
    inotifyMaxUserWatches: watches ? readNumber(watches) : undefined,
    inotifyMaxUserInstances: instances ? readNumber(instances) : undefined,
    // Remote engine: /proc/meminfo here says nothing about it; fall back to the engine's total memory.
    memAvailableBytes: local && memKb ? Number(memKb) * 1024 : undefined,
    localHost: local,
    kernelModules: local ? await readModuleStates() : undefined,
    ...(local && 'dockerRootDir' in engine && engine.dockerRootDir ? { dockerRootFilesystem: await filesystemOf(engine.dockerRootDir) } : {}),
  };
}

const FILESYSTEM_MAGIC: Record<number, string> = {
  0x9123683e: 'btrfs',
  0x58465342: 'xfs',
  0x2fc12fc1: 'zfs',
  0xef53: 'extfs',
  0x794c7630: 'overlayfs',
  0x01021994: 'tmpfs',
};

/** The filesystem a directory lives on, by statfs magic; undefined when unknown or unreadable. */
export async function filesystemOf(dir: string): Promise<string | undefined> {
  try {
    return FILESYSTEM_MAGIC[(await statfs(dir)).type];
  } catch {
    return undefined;
  }
}

/** The engine as host-adaptations see it: the backing filesystem from statfs when Docker does not report one. */
export function engineWithFilesystem(f: HostFacts): EngineInfo | undefined {
  if ('error' in f.engine) return undefined;
  return f.engine.backingFilesystem || !f.dockerRootFilesystem ? f.engine : { ...f.engine, backingFilesystem: f.dockerRootFilesystem };
}

/** A LabRunnerError (code host-not-ready) so the API reports it as the host's state, not as a failed provisioning step. */
export class PreflightError extends LabRunnerError {
  override name = 'PreflightError';
  readonly results: CheckResult[];
  constructor(results: CheckResult[]) {
    const failed = results.filter((r) => r.status === 'fail');
    super('host-not-ready', `This host cannot run a kind cluster yet:\n${failed.map((r) => `  ✗ ${r.name}: ${r.detail}\n    fix: ${r.fix}`).join('\n')}`);
    this.results = results;
  }
}
