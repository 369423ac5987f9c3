// A real two-node lab for grader tests: node containers on an internal Docker network, reached through the real
// DockerRuntime exec (the same call LabManager.exec makes). Presented to the grader as a LabManager-shaped facade.
import { randomBytes } from 'node:crypto';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import type { Lab, ReadyLab } from '../../../lab-runner/lab/lab.ts';
import type { ExecOptions, ExecResult, StreamExec, StreamExecOptions } from '../../../lab-runner/runtime/container-runtime.ts';

export interface GraderLab {
  runtime: DockerRuntime;
  labId: string;
  learnerId: string;
  containers: Map<string, string>;
  /** What LabManager.get reports as the learner's last activity (terminal input); the grader slows down when idle. */
  lastActiveAt: Date;
  /** LabManager.exec / execStream / get / create / reset / destroy over this lab. */
  labs: {
    exec(labId: string, target: string, opts: ExecOptions): Promise<ExecResult>;
    execStream(labId: string, target: string, opts: StreamExecOptions): Promise<StreamExec>;
    get(labId: string): Promise<Lab | undefined>;
    create(): Promise<ReadyLab>;
    reset(labId: string): Promise<ReadyLab>;
    destroy(labId: string): Promise<void>;
  };
  /** Run a shell command as the learner would (root in the target). */
  sh(target: string, script: string): Promise<ExecResult>;
  close(): Promise<void>;
}

export async function startGraderLab(opts: { template?: string; targets?: string[] } = {}): Promise<GraderLab> {
  const runtime = new DockerRuntime();
  await runtime.ping();
  const image = (await runtime.inspectImage('packetwalk/node:latest')) ? 'packetwalk/node:latest' : 'pw-test/base:1';
  const labId = `grader-${randomBytes(4).toString('hex')}`;
  const learnerId = 'learner-grader-int-0001';
  const template = opts.template ?? 'nodes-2';
  // Not labelled as a managed lab: reapers of other stores (servers and tests running beside us) must leave it alone.
  const labels = { 'io.packetwalk.test': 'grader', 'io.packetwalk.test-lab': labId };
  const network = await runtime.createNetwork({ name: `pw-${labId}`, internal: true, labels });
  const containers = new Map<string, string>();
  const startNode = async (name: string) => {
    const { id } = await runtime.createContainer({
      name: `pw-${labId}-${name}`,
      image,
      hostname: name,
      labels: { ...labels, 'io.packetwalk.test-node': name },
      entrypoint: ['sleep', 'infinity'],
      network: network.name,
      capDrop: ['ALL'],
      capAdd: ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'KILL', 'SETUID', 'SETGID', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER'],
      securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      memoryBytes: 256 * 1024 * 1024,
      pidsLimit: 512,
      init: true,
    });
    await runtime.startContainer(id);
    containers.set(name, id);
  };
  const targets = opts.targets ?? ['node1', 'node2'];
  for (const name of targets) await startNode(name);
  let destroyed = false;
  const lab = (): Lab =>
    ({
      id: labId,
      learnerId,
      template,
      state: destroyed ? 'destroyed' : 'ready',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
      lastActiveAt: result.lastActiveAt,
      networkId: network.id,
      targets: [...containers].map(([name, id]) => ({ name, kind: 'node', title: name, containerId: id, containerName: `pw-${labId}-${name}` })),
      readyAt: new Date(),
    }) as ReadyLab;
  const exec = (id: string, target: string, o: ExecOptions) => {
    const c = containers.get(target);
    if (id !== labId || !c || destroyed) return Promise.reject(new Error(`no target ${target} in lab ${id}`));
    return runtime.exec(c, o);
  };
  const execStream = (id: string, target: string, o: StreamExecOptions) => {
    const c = containers.get(target);
    if (id !== labId || !c || destroyed) return Promise.reject(new Error(`no target ${target} in lab ${id}`));
    return runtime.execStream(c, o);
  };
  const close = async () => {
    destroyed = true;
    for (const id of containers.values()) await runtime.removeContainer(id);
    await runtime.removeNetwork(network.id);
  };
  const result: GraderLab = {
    runtime,
    labId,
    learnerId,
    containers,
    labs: {
      exec,
      execStream,
      get: async (id) => (id === labId ? lab() : undefined),
      create: async () => lab() as ReadyLab,
      // Like LabManager.reset: fresh node containers on the same network (lab verify runs each near miss on one).
      reset: async () => {
        for (const id of containers.values()) await runtime.removeContainer(id);
        for (const name of targets) await startNode(name);
        return lab() as ReadyLab;
      },
      destroy: async () => {},
    },
    lastActiveAt: new Date(),
    sh: (target, script) => exec(labId, target, { cmd: ['bash', '-c', script], timeoutMs: 30_000 }),
    close,
  };
  return result;
}
