// How much memory the Docker host has left, for "refuse new labs when memory is short".
// Local engine (unix socket): /proc/meminfo MemAvailable, the kernel's own estimate. Remote engine: we cannot read
// its /proc, so we take the engine's total memory minus what running labs may use (their memory limits).
import fs from 'node:fs';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

export interface HostMemoryProbe {
  /** Bytes available for new labs. */
  availableBytes(): Promise<number>;
}

export function isLocalDockerHost(env: Record<string, string | undefined> = process.env): boolean {
  return !env.DOCKER_HOST || env.DOCKER_HOST.startsWith('unix://');
}

export function memAvailableFromMeminfo(text: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

export class LocalMemoryProbe implements HostMemoryProbe {
  async availableBytes(): Promise<number> {
    const v = memAvailableFromMeminfo(await fs.promises.readFile('/proc/meminfo', 'utf8'));
    if (v === undefined) throw new Error('/proc/meminfo has no MemAvailable line');
    return v;
  }
}

export class RemoteEngineMemoryProbe implements HostMemoryProbe {
  private readonly runtime: ContainerRuntime;
  private readonly committedBytes: () => Promise<number>;
  constructor(runtime: ContainerRuntime, committedBytes: () => Promise<number>) {
    this.runtime = runtime;
    this.committedBytes = committedBytes;
  }
  async availableBytes(): Promise<number> {
    const [info, committed] = await Promise.all([this.runtime.info(), this.committedBytes()]);
    return info.memTotalBytes - committed;
  }
}
