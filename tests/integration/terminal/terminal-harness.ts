// A real lab for terminal tests: a nodes-2 lab (node1, node2) created by the production lab engine (createLabEngine on
// a throwaway DATA_DIR, so its store id and labels are its own), a terminal gateway on a loopback http.Server, and
// helpers to get tickets and connect clients. Nothing is mocked: shells are real `docker exec` TTYs in containers with
// the capabilities, seccomp and AppArmor posture, init and limits every learner gets. Labs are described to the
// gateway through the same LabManager calls it uses in the app; the extra lab records (another learner's, the
// benchmark's many) share the one lab's containers.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDocument } from 'yaml';
import type { LabEvent, ReadyLab, Lab } from '../../../lab-runner/lab/lab.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import { DEFAULT_SANDBOXES_DIR } from '../../../course/sandbox/sandboxes-dir.ts';
import { createTerminalGateway, type TerminalGateway, type TerminalGatewayOptions, type TerminalLabs } from '../../../lab-runner/terminal/terminal-gateway.ts';
import { issueTicket, type TicketClaims } from '../../../lab-runner/terminal/ticket.ts';
import { TerminalClient, type TerminalClientOptions } from '../../../lab-runner/terminal/terminal-client.ts';
import { makeTestEngine } from '../lab/lab-engine-fixture.ts';

export const LEARNER_A = 'learner-aaaaaaaaaaaaaaaa';
export const LEARNER_B = 'learner-bbbbbbbbbbbbbbbb';

export interface TerminalHarness {
  runtime: ContainerRuntime;
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
  // Many terminals on two nodes (benchmarks) need more memory and processes than a learner's lab: the same template
  // with its limits raised, from a catalog of its own.
  const scaled = extraLabCount > 0 ? scaledNodes2(256 + extraLabCount * 8, 512 + extraLabCount * 8) : undefined;
  const t = makeTestEngine({}, scaled ? { catalog: new SandboxCatalog(scaled) } : {});
  let lab: ReadyLab;
  try {
    lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: LEARNER_A, usePool: false });
  } catch (err) {
    await t.cleanup();
    if (scaled) fs.rmSync(scaled, { recursive: true, force: true });
    throw err;
  }
  const runtime = t.engine.runtime;
  const labId = lab.id;
  const otherLabId = `${labId}-other`;
  const expiresAt = lab.expiresAt;
  const targets = lab.targets;
  const now = new Date();
  const makeLab = (id: string, learnerId: string): ReadyLab => ({
    id,
    learnerId,
    template: lab.template,
    createdAt: now,
    expiresAt,
    lastActiveAt: now,
    state: 'ready',
    networkId: lab.networkId,
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
      for (const x of targets) await runtime.unpauseContainer(x.containerId);
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
      for (const x of targets) await runtime.pauseContainer(x.containerId);
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
      await t.cleanup();
      if (scaled) fs.rmSync(scaled, { recursive: true, force: true });
    },
  };
}

/** A sandboxes folder holding only nodes-2, with its default memory (MiB) and process limits raised. */
function scaledNodes2(memoryMiB: number, pids: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-term-sandboxes-'));
  const doc = parseDocument(fs.readFileSync(path.join(DEFAULT_SANDBOXES_DIR, 'nodes-2', 'sandbox.yaml'), 'utf8'));
  doc.setIn(['defaults', 'memory'], `${memoryMiB}Mi`);
  doc.setIn(['defaults', 'pids'], pids);
  fs.mkdirSync(path.join(dir, 'nodes-2'));
  fs.writeFileSync(path.join(dir, 'nodes-2', 'sandbox.yaml'), doc.toString());
  return dir;
}

/** The shell prompt of the test images ends in "# " (root). */
export const PROMPT = /[#$] $/;
