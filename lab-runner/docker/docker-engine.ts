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
  };
}
