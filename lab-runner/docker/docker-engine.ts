// Engine-level calls: ping (with a short deadline so a dead socket fails fast) and info.
import type Docker from 'dockerode';
import { DockerUnavailableError } from '../errors.ts';
import type { EngineInfo } from '../runtime/container-runtime.ts';
import { dockerTarget } from './docker-client.ts';
import { dockerCall } from './docker-call.ts';

const PING_DEADLINE_MS = 5_000;

export async function ping(docker: Docker): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DockerUnavailableError(dockerTarget(), new Error(`no answer within ${PING_DEADLINE_MS} ms`))), PING_DEADLINE_MS);
  });
  try {
    await Promise.race([dockerCall('ping', {}, () => docker.ping()), deadline]);
  } catch (err) {
    // Whatever went wrong, a failed ping means "no usable engine": say how to get one.
    if (err instanceof DockerUnavailableError) throw err;
    throw new DockerUnavailableError(dockerTarget(), err);
  } finally {
    clearTimeout(timer);
  }
}

export async function engineInfo(docker: Docker): Promise<EngineInfo> {
  const [info, version] = await Promise.all([dockerCall('info', {}, () => docker.info()), dockerCall('version', {}, () => docker.version())]);
  return {
    serverVersion: String(info.ServerVersion ?? version.Version),
    apiVersion: String(version.ApiVersion),
    memTotalBytes: Number(info.MemTotal ?? 0),
    cgroupVersion: String(info.CgroupVersion ?? '1'),
    cgroupDriver: String(info.CgroupDriver ?? ''),
    securityOptions: (info.SecurityOptions as string[] | undefined) ?? [],
    runtimes: Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {}),
    operatingSystem: String(info.OperatingSystem ?? ''),
    storageDriver: info.Driver ? String(info.Driver) : undefined,
    rootless: ((info.SecurityOptions as string[] | undefined) ?? []).some((o) => o.includes('rootless')),
    ...storageFacts(info),
    ...(typeof info.DockerRootDir === 'string' && info.DockerRootDir ? { dockerRootDir: info.DockerRootDir } : {}),
    cgroupLimits: cgroupLimitsOf(info),
    ...(version.Os && version.Arch ? { platform: { os: String(version.Os), architecture: String(version.Arch) } } : {}),
  };
}

/** What kind reads to tell whether a rootless engine has cgroup delegation; meaningless (false) with driver "none". */
export function cgroupLimitsOf(info: {
  CgroupDriver?: unknown;
  MemoryLimit?: unknown;
  PidsLimit?: unknown;
  CPUShares?: unknown;
}): NonNullable<EngineInfo['cgroupLimits']> {
  const usable = info.CgroupDriver !== 'none';
  return { memory: usable && info.MemoryLimit === true, pids: usable && info.PidsLimit === true, cpuShares: usable && info.CPUShares === true };
}

/** Storage driver facts kind reads (mountDevMapper) plus whether images live in containerd's store. */
export function storageFacts(info: {
  Driver?: unknown;
  DriverStatus?: unknown;
}): Pick<EngineInfo, 'storageDriver' | 'backingFilesystem' | 'containerdImageStore'> {
  const status = Array.isArray(info.DriverStatus)
    ? (info.DriverStatus as unknown[]).filter((r): r is [string, string] => Array.isArray(r) && r.length >= 2)
    : [];
  const value = (key: string) => status.find(([k]) => k === key)?.[1];
  const backing = value('Backing Filesystem');
  return {
    ...(typeof info.Driver === 'string' && info.Driver ? { storageDriver: info.Driver } : {}),
    ...(backing ? { backingFilesystem: backing } : {}),
    containerdImageStore: value('driver-type') === 'io.containerd.snapshotter.v1',
  };
}
