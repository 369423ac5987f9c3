// ContainerSpec (our vocabulary) -> the Docker Engine API's create body. Pure, so it is unit-tested without Docker.
import type Docker from 'dockerode';
import type { ContainerSpec } from '../runtime/container-runtime.ts';

export function toCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.portBindings ?? []) {
    exposed[p.containerPort] = {};
    (portBindings[p.containerPort] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort });
  }
  // CgroupnsMode (API 1.41) is missing from @types/dockerode.
  const hostConfig: Docker.HostConfig & { CgroupnsMode?: 'private' | 'host' } = {
    NetworkMode: spec.network,
    CapAdd: spec.capAdd,
    CapDrop: spec.capDrop,
    Privileged: spec.privileged ?? false,
    SecurityOpt: spec.securityOpt,
    // Memory == MemorySwap: no swap, so a memory-hungry learner meets the OOM killer instead of slowing the host down.
    Memory: spec.memoryBytes,
    MemorySwap: spec.memoryBytes,
    NanoCpus: spec.nanoCpus,
    CpuShares: spec.cpuShares,
    PidsLimit: spec.pidsLimit,
    Tmpfs: spec.tmpfs,
    Binds: spec.binds,
    Sysctls: spec.sysctls,
    DnsOptions: spec.dnsOptions,
    PortBindings: spec.portBindings ? portBindings : undefined,
    RestartPolicy: spec.restartPolicy ? { Name: spec.restartPolicy.name, MaximumRetryCount: spec.restartPolicy.maximumRetryCount } : undefined,
    Runtime: spec.runtime,
    Init: spec.init,
    CgroupnsMode: spec.cgroupnsMode,
    Devices: spec.devices?.map((d) => ({ PathOnHost: d, PathInContainer: d, CgroupPermissions: 'rwm' })),
    UsernsMode: spec.usernsMode,
    StorageOpt: spec.storageSizeBytes ? { size: String(spec.storageSizeBytes) } : undefined,
    LogConfig: {
      Type: 'json-file',
      Config: { 'max-size': spec.logMaxSize ?? '1m', 'max-file': String(spec.logMaxFiles ?? 2) },
    },
  };
  return {
    name: spec.name,
    Image: spec.image,
    Hostname: spec.hostname,
    Labels: spec.labels,
    Env: spec.env ? Object.entries(spec.env).map(([k, v]) => `${k}=${v}`) : undefined,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    Tty: spec.tty ?? false,
    StopSignal: spec.stopSignal,
    ExposedPorts: spec.portBindings ? exposed : undefined,
    Volumes: spec.volumes ? Object.fromEntries(spec.volumes.map((v) => [v, {}])) : undefined,
    HostConfig: dropUndefined(hostConfig),
    // "container:<id>" joins another container's network namespace: there is no endpoint of our own to configure.
    NetworkingConfig: spec.network.startsWith('container:')
      ? undefined
      : {
          EndpointsConfig: {
            [spec.network]: {
              Aliases: spec.networkAliases,
              ...(spec.ipv4Address ? { IPAMConfig: { IPv4Address: spec.ipv4Address } } : {}),
            },
          },
        },
  };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
