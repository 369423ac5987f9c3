// A real lab for terminal tests: two node containers on an internal Docker network, a terminal gateway on a
// loopback http.Server, and helpers to get tickets and connect clients. Nothing is mocked: shells are real
// `docker exec` TTYs. Labs are described to the gateway through the same LabManager calls it uses in the app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { labLabels, Labels } from '../../../lab-runner/labels.ts';
import type { LabEvent, ReadyLab, LabTarget, Lab } from '../../../lab-runner/lab/lab.ts';
import { createTerminalGateway, type TerminalGateway, type TerminalGatewayOptions, type TerminalLabs } from '../../../lab-runner/terminal/terminal-gateway.ts';
import { issueTicket, type TicketClaims } from '../../../lab-runner/terminal/ticket.ts';
import { TerminalClient, type TerminalClientOptions } from '../../../lab-runner/terminal/terminal-client.ts';

export const LEARNER_A = 'learner-aaaaaaaaaaaaaaaa';
export const LEARNER_B = 'learner-bbbbbbbbbbbbbbbb';

export interface TerminalHarness {
  runtime: DockerRuntime;
  gateway: TerminalGateway;
  ticketKey: Buffer;
  /** Lab owned by LEARNER_A with targets node1, node2. */
  labId: string;
  /** Lab owned by LEARNER_B (same containers; used to prove tickets cannot cross labs). */
  otherLabId: string;
  /** More labs on the same containers, each with its own learner (benchmarks open many terminals). */
  extraLabs: { labId: string; learner: string }[];
  origin: string;
  wsBase: string;
  touches: string[];
  /** Lab ids resumed through the gateway. */
  resumes: string[];
  /** Docker exec resize calls the gateway made (counted at the runtime, below the gateway). */
  dockerResizes: { count: number };
  /** Pauses the lab's containers and tells the gateway, as the idle reaper does. */
  pause(labId: string): Promise<void>;
  containerOf(target: string): string;
  ticket(claims?: Partial<TicketClaims>): string;
  connect(opts?: Partial<TerminalClientOptions> & { claims?: Partial<TicketClaims> }): Promise<TerminalClient>;
  /** Emits a lab event as the LabManager would (e.g. destroyed). */
  emit(event: LabEvent): void;
  /** Runs a non-TTY command in a target container. */
  sh(target: string, script: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTerminalHarness(options: Partial<TerminalGatewayOptions> = {}, extraLabCount = 0): Promise<TerminalHarness> {
  const runtime = new DockerRuntime();
  await runtime.ping();
  const image = (await runtime.inspectImage('packetwalk/node:latest')) ? 'packetwalk/node:latest' : 'pw-test/base:1';
  const suffix = randomBytes(4).toString('hex');
  const labId = `term-${suffix}`;
  const otherLabId = `term-${suffix}-other`;
  const expiresAt = new Date(Date.now() + 3_600_000);
  const labels = labLabels({ labId, learnerId: LEARNER_A, template: 'terminal-test', expiresAt });
  const network = await runtime.createNetwork({ name: `pw-${labId}`, internal: true, labels });
  const targets: LabTarget[] = [];
  for (const name of ['node1', 'node2']) {
    const containerName = `pw-${labId}-${name}`;
    const { id } = await runtime.createContainer({
      name: containerName,
      image,
      hostname: name,
      labels: { ...labels, [Labels.node]: name, [Labels.role]: 'node' },
      entrypoint: ['sleep', 'infinity'],
      network: network.name,
      capDrop: ['ALL'],
      capAdd: ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'KILL', 'SETUID', 'SETGID', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER'],
      memoryBytes: (256 + extraLabCount * 8) * 1024 * 1024,
      pidsLimit: 512 + extraLabCount * 8,
      init: true,
    });
    await runtime.startContainer(id);
    targets.push({ name, kind: 'node', title: name, containerId: id, containerName });
  }
  const now = new Date();
  const makeLab = (id: string, learnerId: string): ReadyLab => ({
    id,
    learnerId,
    template: 'terminal-test',
    createdAt: now,
    expiresAt,
    lastActiveAt: now,
    state: 'ready',
    networkId: network.id,
    targets,
    readyAt: now,
  });
  const labsById = new Map<string, Lab>([
    [labId, makeLab(labId, LEARNER_A)],
    [otherLabId, makeLab(otherLabId, LEARNER_B)],
  ]);
  const extraLabs = Array.from({ length: extraLabCount }, (_, i) => ({ labId: `${labId}-x${i}`, learner: `learner-extra-${String(i).padStart(8, '0')}` }));
  for (const x of extraLabs) labsById.set(x.labId, makeLab(x.labId, x.learner));
  const listeners = new Set<(e: LabEvent) => void>();
  const touches: string[] = [];
  const resumes: string[] = [];
  const dockerResizes = { count: 0 };
  const containerOf = (target: string) => {
    const t = targets.find((x) => x.name === target);
    if (!t) throw new Error(`no target ${target}`);
    return t.containerId;
  };
  const labs: TerminalLabs = {
    get: async (id) => labsById.get(id),
    execTty: async (_lab, target, opts) => {
      const exec = await runtime.execTty(containerOf(target), opts);
      const resize = exec.resize;
      return {
        ...exec,
        resize: (cols: number, rows: number) => {
          dockerResizes.count++;
          return resize(cols, rows);
        },
      };
    },
    exec: async (_lab, target, opts) => runtime.exec(containerOf(target), opts),
    touch: async (id) => {
      touches.push(id);
    },
    resume: async (id) => {
      const lab = labsById.get(id);
      if (!lab || (lab.state !== 'paused' && lab.state !== 'ready')) throw new Error(`lab ${id} cannot be resumed`);
      resumes.push(id);
      for (const t of targets) await runtime.unpauseContainer(t.containerId);
      const ready: ReadyLab = { ...makeLab(id, lab.learnerId) };
      labsById.set(id, ready);
      return ready;
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };

  const ticketKey = randomBytes(32);
  const gateway = createTerminalGateway({ labs, ticketKey, graceMs: 60_000, ...options });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const wsBase = `ws://127.0.0.1:${port}${gateway.path}`;

  const ticket = (claims: Partial<TicketClaims> = {}) => issueTicket(ticketKey, { learner: LEARNER_A, lab: labId, target: 'node1', ...claims }).ticket;

  return {
    runtime,
    gateway,
    ticketKey,
    labId,
    otherLabId,
    extraLabs,
    origin,
    wsBase,
    touches,
    resumes,
    dockerResizes,
    pause: async (id) => {
      for (const t of targets) await runtime.pauseContainer(t.containerId);
      const lab = labsById.get(id)!;
      labsById.set(id, { ...lab, state: 'paused', pausedAt: new Date() } as Lab);
      for (const l of listeners) l({ type: 'state', labId: id, state: 'paused' });
    },
    containerOf,
    ticket,
    connect: (opts = {}) => TerminalClient.connect({ url: `${wsBase}?ticket=${encodeURIComponent(ticket(opts.claims))}`, origin, ...opts }),
    emit: (event) => {
      if (event.type === 'state' && event.state === 'destroyed') labsById.delete(event.labId);
      for (const l of listeners) l(event);
    },
    sh: async (target, script) => {
      const r = await runtime.exec(containerOf(target), { cmd: ['sh', '-c', script] });
      if (r.exitCode !== 0) throw new Error(`${script} failed (${r.exitCode}): ${r.stderr}`);
      return r.stdout;
    },
    close: async () => {
      await gateway.close();
      await new Promise<void>((r) => server.close(() => r()));
      for (const t of targets) await runtime.removeContainer(t.containerId);
      await runtime.removeNetwork(network.id);
    },
  };
}

/** The shell prompt of the test images ends in "# " (root). */
export const PROMPT = /[#$] $/;
