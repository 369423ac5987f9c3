// Host checks before creating a kind cluster (kind's "Known Issues"), each with the fix a person can apply.
// evaluatePreflight is pure (unit-tested); gatherHostFacts does the looking.
import { readFile } from 'node:fs/promises';
import type { ContainerRuntime, EngineInfo } from '../runtime/container-runtime.ts';
import { LabRunnerError } from '../errors.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it; present when status is not ok. */
  fix?: string;
}

export interface HostFacts {
  /** undefined: the engine could not be reached (message). */
  engine: EngineInfo | { error: string };
  inotifyMaxUserWatches?: number;
  inotifyMaxUserInstances?: number;
  /** MemAvailable of the Docker host, bytes. */
  memAvailableBytes?: number;
  /** Whether the facts above were read on the Docker host itself (false for a remote DOCKER_HOST). */
  localHost: boolean;
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
    out.push({ name: 'Docker reachable', status: 'fail', detail: f.engine.error, fix: 'Start the engine (sudo systemctl start docker) or set DOCKER_HOST to a running one.' });
    return out;
  }
  const e = f.engine;
  out.push({ name: 'Docker reachable', status: 'ok', detail: `engine ${e.serverVersion}, API ${e.apiVersion}, ${e.operatingSystem}` });
  out.push(
    versionAtLeast(e.apiVersion, 1, 41)
      ? { name: 'Engine version', status: 'ok', detail: `API ${e.apiVersion} supports private cgroup namespaces` }
      : { name: 'Engine version', status: 'fail', detail: `API ${e.apiVersion} is older than 1.41`, fix: 'Upgrade Docker to 20.10 or newer: kind nodes need --cgroupns=private.' },
  );
  if (e.cgroupVersion === '1') {
    out.push(
      req.kubernetesMinor >= 35
        ? { name: 'cgroups', status: 'fail', detail: `cgroup v1 (${e.cgroupDriver} driver): Kubernetes 1.${req.kubernetesMinor}'s kubelet refuses cgroup v1`, fix: 'Boot the host with cgroup v2 (kernel parameter systemd.unified_cgroup_hierarchy=1) or use a node image older than v1.35.' }
        : { name: 'cgroups', status: 'warn', detail: `cgroup v1 (${e.cgroupDriver} driver) is deprecated for Kubernetes`, fix: 'Move the host to cgroup v2 (systemd.unified_cgroup_hierarchy=1).' },
    );
  } else {
    out.push({ name: 'cgroups', status: 'ok', detail: `cgroup v${e.cgroupVersion}, ${e.cgroupDriver} driver` });
  }
  if (e.securityOptions.some((o) => o.includes('name=userns'))) {
    out.push({ name: 'User namespaces', status: 'warn', detail: 'the daemon remaps user namespaces (userns-remap); kind nodes run with --userns=host, privileged in the host\'s user namespace, so this engine does not confine kind labs', fix: 'For confined kind labs use an isolating runtime such as Sysbox (LAB_RUNTIME=sysbox-runc).' });
  }
  if (e.rootless) {
    out.push({ name: 'Rootless Docker', status: e.cgroupVersion === '2' ? 'warn' : 'fail', detail: 'rootless engine', fix: 'Rootless kind needs cgroup v2 with controller delegation (systemd: Delegate=yes for user@.service).' });
  }
  const where = f.localHost ? '' : ' (read on this machine, not on the remote Docker host)';
  if (f.inotifyMaxUserWatches !== undefined) {
    out.push(
      f.inotifyMaxUserWatches >= MIN_INOTIFY_WATCHES
        ? { name: 'inotify watches', status: 'ok', detail: `fs.inotify.max_user_watches=${f.inotifyMaxUserWatches}${where}` }
        : { name: 'inotify watches', status: 'fail', detail: `fs.inotify.max_user_watches=${f.inotifyMaxUserWatches} (< ${MIN_INOTIFY_WATCHES}); pods fail with "too many open files"${where}`, fix: `sudo sysctl fs.inotify.max_user_watches=${MIN_INOTIFY_WATCHES} (persist it in /etc/sysctl.d/99-kind.conf)` },
    );
  }
  if (f.inotifyMaxUserInstances !== undefined) {
    out.push(
      f.inotifyMaxUserInstances >= MIN_INOTIFY_INSTANCES
        ? { name: 'inotify instances', status: 'ok', detail: `fs.inotify.max_user_instances=${f.inotifyMaxUserInstances}${where}` }
        : { name: 'inotify instances', status: 'fail', detail: `fs.inotify.max_user_instances=${f.inotifyMaxUserInstances} (< ${MIN_INOTIFY_INSTANCES}); kubelets and kube-proxy fail with "too many open files"${where}`, fix: `sudo sysctl fs.inotify.max_user_instances=${MIN_INOTIFY_INSTANCES} (persist it in /etc/sysctl.d/99-kind.conf)` },
    );
  }
  const available = f.memAvailableBytes ?? e.memTotalBytes;
  const wanted = req.nodeCount * RECOMMENDED_BYTES_PER_NODE;
  const label = `${(available / GiB).toFixed(1)} GiB available for ${req.nodeCount} node${req.nodeCount === 1 ? '' : 's'} (~2 GiB each recommended)`;
  if (available >= wanted) out.push({ name: 'Free memory', status: 'ok', detail: label });
  else if (available >= wanted / 2) out.push({ name: 'Free memory', status: 'warn', detail: label, fix: 'Expect slow or failing pods; free memory, use fewer nodes, or give Docker Desktop\'s VM 6-8 GB.' });
  else out.push({ name: 'Free memory', status: 'fail', detail: label, fix: 'Free memory or use a template with fewer nodes (kubeadm recommends ~2 GB per node).' });
  return out;
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
  const local = dockerHostIsLocal(env);
  return {
    engine,
    inotifyMaxUserWatches: watches ? readNumber(watches) : undefined,
    inotifyMaxUserInstances: instances ? readNumber(instances) : undefined,
    // Remote engine: /proc/meminfo here says nothing about it; fall back to the engine's total memory.
    memAvailableBytes: local && memKb ? Number(memKb) * 1024 : undefined,
    localHost: local,
  };
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
