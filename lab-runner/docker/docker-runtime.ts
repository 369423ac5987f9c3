// ContainerRuntime implemented with dockerode. The only class outside lab-runner/docker/ that knows Docker exists
// is this one's constructor call; each method delegates to a small file per concern.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type {
  BuildImageOptions,
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ContainerStats,
  EngineInfo,
  ExecOptions,
  ExecResult,
  ImageInfo,
  LabelFilter,
  NetworkInfo,
  NetworkSpec,
  ProgressFn,
  StreamExec,
  StreamExecOptions,
  TtyExec,
  TtyExecOptions,
} from '../runtime/container-runtime.ts';
import { createDockerClient } from './docker-client.ts';
import * as containers from './docker-containers.ts';
import { engineInfo, ping } from './docker-engine.ts';
import { runExec } from './docker-exec.ts';
import * as images from './docker-images.ts';
import { waitForLog } from './docker-logs.ts';
import * as networks from './docker-networks.ts';
import { runStreamExec } from './docker-stream-exec.ts';
import { runTtyExec } from './docker-tty-exec.ts';

export class DockerRuntime implements ContainerRuntime {
  readonly docker: Docker;

  constructor(docker: Docker = createDockerClient()) {
    this.docker = docker;
  }

  ping(): Promise<void> {
    return ping(this.docker);
  }
  info(): Promise<EngineInfo> {
    return engineInfo(this.docker);
  }

  inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return images.inspectImage(this.docker, ref);
  }
  pullImage(ref: string, onProgress?: ProgressFn): Promise<void> {
    return images.pullImage(this.docker, ref, onProgress);
  }
  buildImage(opts: BuildImageOptions, onProgress?: ProgressFn): Promise<void> {
    return images.buildImage(this.docker, opts, onProgress);
  }
  importImage(rootfsTar: Readable, tag: string, onProgress?: ProgressFn): Promise<void> {
    return images.importImage(this.docker, rootfsTar, tag, onProgress);
  }
  saveImage(ref: string, opts?: { platform?: { os: string; architecture: string } }): Promise<Readable> {
    return images.saveImage(this.docker, ref, opts);
  }
  removeImage(ref: string): Promise<void> {
    return images.removeImage(this.docker, ref);
  }

  createNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    return networks.createNetwork(this.docker, spec);
  }
  inspectNetwork(idOrName: string): Promise<NetworkInfo | undefined> {
    return networks.inspectNetwork(this.docker, idOrName);
  }
  removeNetwork(idOrName: string): Promise<void> {
    return networks.removeNetwork(this.docker, idOrName);
  }
  listNetworks(filter: LabelFilter): Promise<NetworkInfo[]> {
    return networks.listNetworks(this.docker, filter);
  }
  connectNetwork(networkId: string, containerId: string, aliases?: string[]): Promise<void> {
    return networks.connectNetwork(this.docker, networkId, containerId, aliases);
  }

  createContainer(spec: ContainerSpec): Promise<{ id: string }> {
    return containers.createContainer(this.docker, spec);
  }
  startContainer(id: string): Promise<void> {
    return containers.startContainer(this.docker, id);
  }
  stopContainer(id: string, timeoutSec?: number): Promise<void> {
    return containers.stopContainer(this.docker, id, timeoutSec);
  }
  removeContainer(id: string): Promise<void> {
    return containers.removeContainer(this.docker, id);
  }
  pauseContainer(id: string): Promise<void> {
    return containers.pauseContainer(this.docker, id);
  }
  unpauseContainer(id: string): Promise<void> {
    return containers.unpauseContainer(this.docker, id);
  }
  inspectContainer(id: string): Promise<ContainerInfo | undefined> {
    return containers.inspectContainer(this.docker, id);
  }
  listContainers(filter: LabelFilter): Promise<ContainerInfo[]> {
    return containers.listContainers(this.docker, filter);
  }
  stats(id: string): Promise<ContainerStats> {
    return containers.containerStats(this.docker, id);
  }
  waitForLog(id: string, pattern: RegExp, timeoutMs: number): Promise<void> {
    return waitForLog(this.docker, id, pattern, timeoutMs);
  }

  exec(id: string, opts: ExecOptions): Promise<ExecResult> {
    return runExec(this.docker, id, opts);
  }
  execTty(id: string, opts: TtyExecOptions): Promise<TtyExec> {
    return runTtyExec(this.docker, id, opts);
  }
  execStream(id: string, opts: StreamExecOptions): Promise<StreamExec> {
    return runStreamExec(this.docker, id, opts);
  }
}
