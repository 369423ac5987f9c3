// Containers: create/start/stop/remove/pause/unpause/inspect/list/stats, with the idempotent cases made explicit:
// 404 on stop/remove/pause = gone already; 304 on stop/start = already there; 409 "is not paused"/"is already paused" likewise.
import type Docker from 'dockerode';
import { ImageMissingError, LabRunnerError, StorageOptUnsupportedError } from '../errors.ts';
import type { ContainerInfo, ContainerSpec, ContainerState, ContainerStats, LabelFilter } from '../runtime/container-runtime.ts';
import { toCreateOptions } from './container-create-options.ts';
import { dockerCall, dockerMessageOf, idempotentDockerCall, statusCodeOf } from './docker-call.ts';
import { labelFilters } from './label-filters.ts';

export async function createContainer(docker: Docker, spec: ContainerSpec): Promise<{ id: string }> {
  try {
    const c = await dockerCall('container create', { name: spec.name, image: spec.image }, () => docker.createContainer(toCreateOptions(spec)));
    return { id: c.id };
  } catch (err) {
    const status = statusCodeOf(err);
    const message = dockerMessageOf(err);
    if (status === 404 && /image/i.test(message)) throw new ImageMissingError(spec.image);
    if (spec.storageSizeBytes && /storage-opt|storage opt/i.test(message)) throw new StorageOptUnsupportedError(message, err);
    if (status === 409) {
      throw new LabRunnerError(
        'name-conflict',
        `A container named ${spec.name} already exists. Remove it ("docker rm -f ${spec.name}") or run the reaper ("npm run lab -- reap").`,
        { cause: err },
      );
    }
    throw err;
  }
}

export async function startContainer(docker: Docker, id: string): Promise<void> {
  await idempotentDockerCall('container start', { container: id }, [304], () => docker.getContainer(id).start());
}

export async function stopContainer(docker: Docker, id: string, timeoutSec = 5): Promise<void> {
  await idempotentDockerCall('container stop', { container: id }, [304, 404], () => docker.getContainer(id).stop({ t: timeoutSec }));
}

export async function removeContainer(docker: Docker, id: string): Promise<void> {
  // 409 "removal already in progress" also means it is going away.
  try {
    await idempotentDockerCall('container remove', { container: id }, [404], () => docker.getContainer(id).remove({ force: true, v: true }));
  } catch (err) {
    if (statusCodeOf(err) === 409 && /already in progress/i.test(dockerMessageOf(err))) return;
    throw err;
  }
}

export async function pauseContainer(docker: Docker, id: string): Promise<void> {
  try {
    await dockerCall('container pause', { container: id }, () => docker.getContainer(id).pause());
  } catch (err) {
    if (statusCodeOf(err) === 409 && /already paused/i.test(dockerMessageOf(err))) return;
    throw err;
  }
}

export async function unpauseContainer(docker: Docker, id: string): Promise<void> {
  try {
    await dockerCall('container unpause', { container: id }, () => docker.getContainer(id).unpause());
  } catch (err) {
    if (statusCodeOf(err) === 409 && /not paused/i.test(dockerMessageOf(err))) return;
    throw err;
  }
}

export function toContainerInfo(c: Docker.ContainerInspectInfo): ContainerInfo {
  const ipv4: Record<string, string> = {};
  for (const [name, net] of Object.entries(c.NetworkSettings?.Networks ?? {})) if (net.IPAddress) ipv4[name] = net.IPAddress;
  const hostPorts: Record<string, string> = {};
  for (const [port, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
    const first = bindings?.[0];
    if (first) hostPorts[port] = `${first.HostIp}:${first.HostPort}`;
  }
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: c.Config.Image,
    labels: c.Config.Labels ?? {},
    state: c.State.Status as ContainerState,
    exitCode: c.State.ExitCode,
    oomKilled: c.State.OOMKilled,
    startedAt: c.State.StartedAt,
    ipv4,
    hostPorts,
  };
}

export async function inspectContainer(docker: Docker, id: string): Promise<ContainerInfo | undefined> {
  try {
    return toContainerInfo(await dockerCall('container inspect', { container: id }, () => docker.getContainer(id).inspect()));
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function listContainers(docker: Docker, filter: LabelFilter): Promise<ContainerInfo[]> {
  const list = await dockerCall('container list', { filter: JSON.stringify(filter) }, () =>
    docker.listContainers({ all: true, filters: { label: labelFilters(filter) } }),
  );
  return list.map((c) => ({
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    labels: c.Labels ?? {},
    state: c.State as ContainerState,
    ipv4: Object.fromEntries(Object.entries(c.NetworkSettings?.Networks ?? {}).map(([n, v]) => [n, v.IPAddress])),
  }));
}

export async function containerStats(docker: Docker, id: string): Promise<ContainerStats> {
  const s = (await dockerCall('container stats', { container: id }, () => docker.getContainer(id).stats({ stream: false }))) as unknown as {
    memory_stats?: { usage?: number; stats?: Record<string, number> };
    pids_stats?: { current?: number };
  };
  const usage = s.memory_stats?.usage ?? 0;
  const stats = s.memory_stats?.stats ?? {};
  // Same figure as "docker stats": usage minus page cache (cgroup v1 "total_inactive_file", v2 "inactive_file").
  const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return { memoryBytes: Math.max(0, usage - cache), pids: s.pids_stats?.current ?? 0 };
}
