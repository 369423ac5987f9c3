// Networks: create, inspect, remove (idempotent), list by label.
import type Docker from 'dockerode';
import { CapacityError, LabRunnerError } from '../errors.ts';
import type { LabelFilter, NetworkInfo, NetworkSpec } from '../runtime/container-runtime.ts';
import { dockerCall, dockerMessageOf, idempotentDockerCall, statusCodeOf } from './docker-call.ts';
import { labelFilters } from './label-filters.ts';

type NetworkInspect = Docker.NetworkInspectInfo;

export function toNetworkInfo(n: NetworkInspect): NetworkInfo {
  const ipam = n.IPAM?.Config?.[0] as { Subnet?: string; Gateway?: string } | undefined;
  return {
    id: n.Id,
    name: n.Name,
    labels: n.Labels ?? {},
    subnet: ipam?.Subnet,
    gateway: ipam?.Gateway,
    internal: n.Internal === true,
    ...(n.Options?.['com.docker.network.bridge.name'] ? { bridgeName: n.Options['com.docker.network.bridge.name'] } : {}),
    ...(Number(n.Options?.['com.docker.network.driver.mtu']) > 0 ? { mtu: Number(n.Options?.['com.docker.network.driver.mtu']) } : {}),
  };
}

export async function createNetwork(docker: Docker, spec: NetworkSpec): Promise<NetworkInfo> {
  const options: Docker.NetworkCreateOptions = {
    Name: spec.name,
    Driver: 'bridge',
    Internal: spec.internal,
    CheckDuplicate: true,
    Labels: spec.labels,
    Options: { ...(spec.driverOptions ?? {}), ...(spec.mtu ? { 'com.docker.network.driver.mtu': String(spec.mtu) } : {}) },
    ...(spec.subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet }] } } : {}),
  };
  try {
    const created = await dockerCall('network create', { network: spec.name, subnet: spec.subnet }, () => docker.createNetwork(options));
    const info = await inspectNetwork(docker, created.id);
    if (!info) throw new LabRunnerError('docker-call-failed', `Network ${spec.name} vanished right after it was created.`);
    return info;
  } catch (err) {
    const message = dockerMessageOf(err);
    if (/non-overlapping IPv4 address pool|could not find an available/i.test(message)) {
      throw new CapacityError(
        `Docker has no free address pool for network ${spec.name}: ${message}. Remove unused networks ("docker network prune"), ` +
          `give packetwalk its own range with LAB_SUBNET_POOL (e.g. 10.200.0.0/16), or widen "default-address-pools" in /etc/docker/daemon.json.`,
      );
    }
    if (statusCodeOf(err) === 409) {
      throw new LabRunnerError(
        'name-conflict',
        `A Docker network named ${spec.name} already exists. Remove it ("docker network rm ${spec.name}") or let the reaper clean it ("npm run lab -- reap").`,
        { cause: err },
      );
    }
    throw err;
  }
}

export async function inspectNetwork(docker: Docker, idOrName: string): Promise<NetworkInfo | undefined> {
  try {
    const n = (await dockerCall('network inspect', { network: idOrName }, () => docker.getNetwork(idOrName).inspect())) as NetworkInspect;
    return toNetworkInfo(n);
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function removeNetwork(docker: Docker, idOrName: string): Promise<void> {
  await idempotentDockerCall('network remove', { network: idOrName }, [404], () => docker.getNetwork(idOrName).remove());
}

export async function listNetworks(docker: Docker, filter: LabelFilter): Promise<NetworkInfo[]> {
  const list = (await dockerCall('network list', { filter: JSON.stringify(filter) }, () =>
    docker.listNetworks({ filters: { label: labelFilters(filter) } }),
  )) as NetworkInspect[];
  return list.map(toNetworkInfo);
}

export async function connectNetwork(docker: Docker, networkId: string, containerId: string, aliases?: string[]): Promise<void> {
  await dockerCall('network connect', { network: networkId, container: containerId }, () =>
    docker.getNetwork(networkId).connect({ Container: containerId, EndpointConfig: { Aliases: aliases } }),
  );
}
