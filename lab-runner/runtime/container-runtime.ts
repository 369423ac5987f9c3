// The container runtime as packetwalk sees it. Only lab-runner/docker/ implements it with dockerode;
// everything else (sandboxes, terminal, grader, CLI, tests) talks to this interface.
import type { Duplex, Readable, Writable } from 'node:stream';

export type LabelFilter = Record<string, string | true>;

export interface NetworkSpec {
  name: string;
  /** No route out of the host: nothing leaves the machine. */
  internal: boolean;
  labels: Record<string, string>;
  /** Optional explicit IPv4 subnet (CIDR); otherwise Docker's default pools. */
  subnet?: string;
  driverOptions?: Record<string, string>;
  mtu?: number;
}

export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  subnet?: string;
  gateway?: string;
  internal: boolean;
  /** The Linux bridge's name when the network set one (com.docker.network.bridge.name); lab bridges do. */
  bridgeName?: string;
  /** com.docker.network.driver.mtu when set (kind copies the default bridge's MTU to its network). */
  mtu?: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  hostname?: string;
  labels: Record<string, string>;
  env?: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  tty?: boolean;
  /**
   * Network name, or "container:<id or name>" to join another container's network namespace (its interfaces,
   * routes and iptables; Docker then refuses hostname, networkAliases, ipv4Address, dnsOptions and portBindings),
   * or "host" for the host's own network namespace (the host agent; the same settings are refused).
   */
  network: string;
  /** Extra DNS-resolvable names on the network. */
  networkAliases?: string[];
  ipv4Address?: string;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  securityOpt?: string[];
  /** Bytes; swap is set equal so there is no swap. */
  memoryBytes?: number;
  nanoCpus?: number;
  /** Relative CPU weight under contention (Docker CpuShares; 1024 is everyone else's default). */
  cpuShares?: number;
  pidsLimit?: number;
  /** Mount point -> tmpfs options, e.g. { "/run": "size=16m" }. */
  tmpfs?: Record<string, string>;
  /** Anonymous volumes, e.g. ["/var"]. */
  volumes?: string[];
  binds?: string[];
  sysctls?: Record<string, string>;
  /** resolv.conf options, e.g. ["timeout:1", "attempts:1"] so unresolvable names fail fast on internal networks. */
  dnsOptions?: string[];
  /** Published ports: "127.0.0.1:0:6443/tcp" style is expressed as objects. */
  portBindings?: { containerPort: string; hostIp: string; hostPort: string }[];
  restartPolicy?: { name: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maximumRetryCount?: number };
  /** HostConfig.Runtime, e.g. sysbox-runc. */
  runtime?: string;
  init?: boolean;
  cgroupnsMode?: 'private' | 'host';
  /**
   * HostConfig.UsernsMode "host": stay in the host's user namespace on an engine that remaps user namespaces
   * (userns-remap), where host networking and the host's firewall are otherwise out of reach. The host agent and
   * kind nodes need it; lab nodes never set it.
   */
  usernsMode?: 'host';
  /**
   * HostConfig.StorageOpt size in bytes: the most the container's filesystem may hold (LAB_DISK_LIMIT). Only some
   * storage drivers enforce it; the others refuse the container (StorageOptUnsupportedError).
   */
  storageSizeBytes?: number;
  logMaxSize?: string;
  logMaxFiles?: number;
  stopSignal?: string;
  /** Host devices passed through with rwm access, e.g. ["/dev/fuse"] (kind does this for rootless Docker). */
  devices?: string[];
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  state: ContainerState;
  exitCode?: number;
  oomKilled?: boolean;
  startedAt?: string;
  /** IPv4 address per network name. */
  ipv4: Record<string, string>;
  hostPorts?: Record<string, string>;
}

export interface ExecOptions {
  cmd: string[];
  /** Written to the process's stdin, then stdin is closed. Scripts travel this way so nothing lands on disk. */
  stdin?: string | Buffer;
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
  /** Kill the process (and its process group) after this long. Default 30 s. */
  timeoutMs?: number;
  /** Stop collecting output past this many bytes per stream (the process keeps running). Default 1 MiB. */
  maxOutputBytes?: number;
  privileged?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** True when output beyond maxOutputBytes was dropped. */
  truncated: boolean;
}

export interface TtyExecOptions {
  cmd: string[];
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
  cols: number;
  rows: number;
}

/** A running interactive process with a pseudo-terminal. Raw bytes both ways (no multiplexing). */
export interface TtyExec {
  readonly id: string;
  readonly stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number>;
}

export interface StreamExecOptions {
  cmd: string[];
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
}

/**
 * A long-lived non-TTY process with stdin kept open and its output demultiplexed: a conversation with one process
 * instead of one exec per question (the grader's check channel). No timeout: the caller ends it.
 */
export interface StreamExec {
  readonly id: string;
  /** The process's stdin; end() it to send EOF. */
  readonly stdin: Writable;
  /** The process's stdout (ends when the process's output ends). */
  readonly stdout: Readable;
  /** The process's stderr; read it or it is dropped once its buffer is full. */
  readonly stderr: Readable;
  /** Resolves with the exit code once the process has ended (-1 when the engine could not tell); never rejects. */
  exited: Promise<number>;
  /** Ends stdin, then drops the connection once the process has ended or after a short grace. Idempotent. */
  close(): void;
}

export interface BuildImageOptions {
  contextDir: string;
  tag: string;
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface ImageInfo {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
}

export interface EngineInfo {
  serverVersion: string;
  apiVersion: string;
  memTotalBytes: number;
  cgroupVersion: string;
  cgroupDriver: string;
  securityOptions: string[];
  runtimes: string[];
  operatingSystem: string;
  rootless: boolean;
  /** docker info .Driver: overlay2, btrfs, zfs, devicemapper, or overlayfs on the containerd image store. */
  storageDriver?: string;
  /** docker info .DriverStatus "Backing Filesystem" (extfs, xfs, btrfs…) when the driver reports one. */
  backingFilesystem?: string;
  /** True when images live in containerd's store (Docker ≥ 29 fresh installs), not the classic graph driver. */
  containerdImageStore?: boolean;
  /**
   * docker info MemoryLimit / PidsLimit / CPUShares (false when the cgroup driver is "none"): a rootless engine
   * without them lacks cgroup v2 delegation, and kind refuses it.
   */
  cgroupLimits?: { memory: boolean; pids: boolean; cpuShares: boolean };
  /** docker info .DockerRootDir, e.g. /var/lib/docker. */
  dockerRootDir?: string;
  /** The engine's own platform in OCI terms, e.g. { os: "linux", architecture: "amd64" }. */
  platform?: { os: string; architecture: string };
}

export interface ContainerStats {
  memoryBytes: number;
  pids: number;
}

export type ProgressFn = (line: string) => void;

export interface ContainerRuntime {
  /** Throws DockerUnavailableError with advice when the engine cannot be reached. */
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;

  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  pullImage(ref: string, onProgress?: ProgressFn): Promise<void>;
  buildImage(opts: BuildImageOptions, onProgress?: ProgressFn): Promise<void>;
  importImage(rootfsTar: Readable, tag: string, onProgress?: ProgressFn): Promise<void>;
  /** `docker save`; with a platform (engine API ≥ 1.48) only that platform's content is exported. */
  saveImage(ref: string, opts?: { platform?: { os: string; architecture: string } }): Promise<Readable>;
  removeImage(ref: string): Promise<void>;

  createNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  inspectNetwork(idOrName: string): Promise<NetworkInfo | undefined>;
  /** Idempotent: a missing network is not an error. */
  removeNetwork(idOrName: string): Promise<void>;
  listNetworks(filter: LabelFilter): Promise<NetworkInfo[]>;
  /** Attaches a container (created or running) to one more network, e.g. a router node on two lab networks. */
  connectNetwork?(networkId: string, containerId: string, aliases?: string[]): Promise<void>;

  /** Creates without starting. */
  createContainer(spec: ContainerSpec): Promise<{ id: string }>;
  startContainer(id: string): Promise<void>;
  /** Idempotent: an already-stopped container is not an error. */
  stopContainer(id: string, timeoutSec?: number): Promise<void>;
  /** Idempotent: removes anonymous volumes too; a missing container is not an error. */
  removeContainer(id: string): Promise<void>;
  /** Idempotent. */
  pauseContainer(id: string): Promise<void>;
  /** Idempotent. */
  unpauseContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerInfo | undefined>;
  listContainers(filter: LabelFilter): Promise<ContainerInfo[]>;
  stats(id: string): Promise<ContainerStats>;
  /** Follows the container's log until a line matches, or rejects after timeoutMs with the tail seen. */
  waitForLog(id: string, pattern: RegExp, timeoutMs: number): Promise<void>;

  exec(id: string, opts: ExecOptions): Promise<ExecResult>;
  execTty(id: string, opts: TtyExecOptions): Promise<TtyExec>;
  execStream(id: string, opts: StreamExecOptions): Promise<StreamExec>;
}
