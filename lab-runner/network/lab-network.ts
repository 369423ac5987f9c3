// The network service behind the Map and Capture tabs: reads a lab's networking (one exec per node per refresh),
// runs captures and impairments. One instance per platform (platform.ts); route handlers call it and return views.
//
// Paused labs are never read (an exec would wake them): the map answers lab-state instead. Captures end when their
// lab is paused, reset or destroyed (lab events), when nobody watches them, and when the platform closes.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError, LabNotFoundError, LabStateError } from '../errors.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { LabTarget, ReadyLab } from '../lab/lab.ts';
import type { CaptureEvent, CaptureView, ImpairmentRequest, LabMap, PacketDetail } from '../wire/network.ts';
import { captureRequest, impairmentRequest } from '../wire/network-requests.ts';
import { captureScript, checkFilterScript, detailScript, downloadScript, removeScript } from './capture-script.ts';
import { CaptureSession, MAX_ROWS } from './capture-session.ts';
import { clearImpairmentScript, impairmentRefusal, impairScript } from './impairment-script.ts';
import { splitKubeList, withKubeViews } from './kube-views.ts';
import { buildLabMap } from './lab-graph.ts';
import { readKubeRaw, readNodeRaw } from './lab-read.ts';
import { parseNodeState } from './node-state.ts';
import type { NodeState } from './node-state.ts';

const log = createLogger('network');

export type NetworkLabs = Pick<LabManager, 'get' | 'exec' | 'execStream' | 'subscribe'>;

export interface MapTiming {
  /** Per node: how long the exec took (wall), as the runtime measured it. */
  nodes: { target: string; execMs: number; bytes: number }[];
  /** Server-side parse + model time. */
  modelMs: number;
}

export class LabNetwork {
  readonly #labs: NetworkLabs;
  readonly #captures = new Map<string, CaptureSession>();
  readonly #inflight = new Map<string, Promise<{ map: LabMap; timing: MapTiming }>>();
  readonly #unsubscribe: () => void;

  constructor(labs: NetworkLabs) {
    this.#labs = labs;
    this.#unsubscribe = labs.subscribe((e) => {
      if (e.type === 'state' && e.state !== 'pending') {
        const why = e.state === 'ready' ? 'the lab was reset' : `the lab was ${e.state === 'paused' ? 'paused' : e.state}`;
        for (const c of this.#captures.values()) if (c.labId === e.labId) c.stop(why);
      }
      if (e.type === 'target-down')
        for (const c of this.#captures.values()) if (c.labId === e.labId && c.view.target === e.target) c.stop(`${e.target} went down`);
    });
  }

  async #readyLab(labId: string): Promise<ReadyLab> {
    const lab = await this.#labs.get(labId);
    if (!lab || lab.state === 'destroyed') throw new LabNotFoundError(labId);
    if (lab.state !== 'ready') throw new LabStateError(labId, lab.state, 'ready (a paused lab is not read, so that it stays paused)');
    return lab;
  }

  /** The lab's map now. Concurrent callers for the same lab (and options) share one read. */
  map(labId: string, opts: { routes?: boolean } = {}): Promise<LabMap> {
    return this.mapWithTiming(labId, opts).then((r) => r.map);
  }

  mapWithTiming(labId: string, opts: { routes?: boolean } = {}): Promise<{ map: LabMap; timing: MapTiming }> {
    const key = `${labId}:${opts.routes ? 'r' : ''}`;
    const running = this.#inflight.get(key);
    if (running) return running;
    const p = this.#readMap(labId, !!opts.routes).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, p);
    return p;
  }

  async #readMap(labId: string, routes: boolean): Promise<{ map: LabMap; timing: MapTiming }> {
    const lab = await this.#readyLab(labId);
    const readAt = Date.now();
    const nodes = nodeTargets(lab.targets);
    const failed: Record<string, string> = {};
    const timing: MapTiming = { nodes: [], modelMs: 0 };
    const outputs = await Promise.all(
      nodes.map(async (t) => {
        try {
          const r = await readNodeRaw(this.#labs, labId, t.name, { routes });
          timing.nodes.push({ target: t.name, execMs: r.execMs, bytes: r.stdout.length });
          if (r.truncated) failed[t.name] = 'its network state was larger than the map reads (4 MiB)';
          return { t, token: r.token, stdout: r.stdout };
        } catch (err) {
          failed[t.name] = err instanceof Error ? err.message : String(err);
          return undefined;
        }
      }),
    );
    const t0 = performance.now();
    const states: NodeState[] = outputs.flatMap((o) => (o && !failed[o.t.name] ? [parseNodeState(o.t.name, o.stdout, o.token)] : []));
    for (const s of states)
      if (s.problems.length) log.debug('map: parts of a node could not be read', { lab: labId, node: s.node, problems: s.problems.join('; ') });
    let map = buildLabMap(states, { labId, readAt, failed });
    const jumpbox = lab.targets.find((t) => t.kind === 'jumpbox');
    if (jumpbox) map = await this.#withKube(labId, jumpbox, map);
    timing.modelMs = performance.now() - t0;
    return { map, timing };
  }

  /** kind labs: pods on their namespaces, Services -> EndpointSlices, from kubectl on the jumpbox. */
  async #withKube(labId: string, jumpbox: LabTarget, map: LabMap): Promise<LabMap> {
    try {
      const raw = await readKubeRaw(this.#labs, labId, jumpbox.name);
      return raw === undefined ? map : withKubeViews(map, splitKubeList(JSON.parse(raw)));
    } catch (err) {
      log.debug('map: the Kubernetes view could not be read', { lab: labId, error: err instanceof Error ? err.message : String(err) });
      return map;
    }
  }

  // --- captures -------------------------------------------------------------------------------------------------

  /** Starts a capture (one per lab: a new one stops and discards the previous). */
  async startCapture(labId: string, input: unknown): Promise<CaptureView> {
    const req = parseOr422(captureRequest, input);
    const lab = await this.#readyLab(labId);
    if (!nodeTargets(lab.targets).some((t) => t.name === req.target))
      throw new LabRunnerError('bad-request', `This lab has no node "${req.target}" to capture on.`);
    if (req.filter?.trim()) {
      const r = await this.#labs.exec(labId, req.target, {
        cmd: ['bash', '-s'],
        stdin: checkFilterScript(req.ns, req.iface, req.filter.trim()),
        timeoutMs: 10_000,
        user: 'root',
      });
      if (r.exitCode !== 0)
        throw new LabRunnerError(
          'bad-request',
          `The capture filter "${req.filter}" does not work on ${req.iface}: ${(r.stdout || r.stderr).trim().slice(0, 300) || 'dumpcap refused it'}`,
        );
    }
    for (const old of [...this.#captures.values()].filter((c) => c.labId === labId)) await this.discardCapture(labId, old.view.id);
    const id = randomBytes(6).toString('hex');
    const session = new CaptureSession(labId, {
      id,
      target: req.target,
      ns: req.ns,
      iface: req.iface,
      ...(req.filter?.trim() ? { filter: req.filter.trim() } : {}),
    });
    this.#captures.set(id, session);
    try {
      const stream = await this.#labs.execStream(labId, req.target, {
        cmd: ['bash', '-c', captureScript(id, req.ns, req.iface, req.filter?.trim())],
        user: 'root',
      });
      session.attach(stream);
    } catch (err) {
      session.fail(err instanceof Error ? err.message : String(err));
    }
    return { ...session.view };
  }

  #capture(labId: string, id: string): CaptureSession {
    const c = this.#captures.get(id);
    if (!c || c.labId !== labId) throw new LabRunnerError('capture-not-found', `No capture ${id} in this lab (a newer capture replaces it).`);
    return c;
  }

  captureView(labId: string, id: string): CaptureView {
    return { ...this.#capture(labId, id).view };
  }

  watchCapture(labId: string, id: string, listener: (e: CaptureEvent) => void): () => void {
    return this.#capture(labId, id).watch(listener);
  }

  async stopCapture(labId: string, id: string): Promise<CaptureView> {
    const c = this.#capture(labId, id);
    c.stop('stopped by the learner');
    await Promise.race([c.ended, new Promise((r) => setTimeout(r, 3_000))]);
    return { ...c.view };
  }

  /** Stops and forgets a capture, and removes its files from the lab (when the lab is still ready). */
  async discardCapture(labId: string, id: string): Promise<void> {
    const c = this.#captures.get(id);
    if (!c || c.labId !== labId) return;
    c.stop('discarded');
    await Promise.race([c.ended, new Promise((r) => setTimeout(r, 3_000))]);
    this.#captures.delete(id);
    const lab = await this.#labs.get(labId);
    if (lab?.state === 'ready')
      await this.#labs.exec(labId, c.view.target, { cmd: ['bash', '-s'], stdin: removeScript(id), timeoutMs: 5_000, user: 'root' }).catch(() => undefined);
  }

  /** One listed packet's layer tree, decoded by tshark from the ring, where its capture time and length find it. */
  async packetDetail(labId: string, id: string, frame: number): Promise<PacketDetail> {
    const c = this.#capture(labId, id);
    if (!Number.isInteger(frame) || frame < 1) throw new LabRunnerError('bad-request', 'frame must be a packet number (1, 2, …).');
    const at = c.locate(frame);
    if (!at) throw new LabRunnerError('capture-not-found', `Packet ${frame} is no longer in the list (the server keeps the newest ${MAX_ROWS} rows).`);
    await this.#readyLab(labId);
    const r = await this.#labs.exec(labId, c.view.target, {
      cmd: ['bash', '-s'],
      stdin: detailScript(id, at.epoch, at.length),
      timeoutMs: 10_000,
      maxOutputBytes: 2 * 1024 * 1024,
      user: 'root',
    });
    if (r.timedOut) throw new LabRunnerError('docker-timeout', `Decoding packet ${frame} took too long (the node is busy); try again.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.stdout.trim() || '[]');
    } catch {
      throw new LabRunnerError('bad-request', `Packet ${frame} could not be decoded.`);
    }
    const first = Array.isArray(parsed) ? (parsed[0] as { _source?: { layers?: Record<string, unknown> } } | undefined) : undefined;
    if (!first?._source?.layers)
      throw new LabRunnerError('capture-not-found', `Packet ${frame} is no longer in the capture's ring buffer (it keeps the last 5000 packets).`);
    return { no: frame, layers: first._source.layers };
  }

  /** The capture as one pcapng file (the ring buffer's files merged). */
  async downloadCapture(labId: string, id: string): Promise<Buffer> {
    const c = this.#capture(labId, id);
    await this.#readyLab(labId);
    const r = await this.#labs.exec(labId, c.view.target, {
      cmd: ['bash', '-s'],
      stdin: downloadScript(id),
      timeoutMs: 30_000,
      maxOutputBytes: 64 * 1024 * 1024,
      user: 'root',
    });
    if (r.truncated) throw new LabRunnerError('bad-request', 'The capture is too large to download.');
    const bytes = Buffer.from(r.stdout.trim(), 'base64');
    if (bytes.length === 0) throw new LabRunnerError('capture-not-found', 'The capture has no packets yet.');
    return bytes;
  }

  // --- impairments ----------------------------------------------------------------------------------------------

  async impair(labId: string, input: unknown): Promise<void> {
    const req = parseOr422(impairmentRequest, input) as ImpairmentRequest;
    await this.#readyLab(labId);
    const r = await this.#labs.exec(labId, req.target, { cmd: ['bash', '-s'], stdin: impairScript(req), timeoutMs: 10_000, user: 'root' });
    if (r.exitCode === 0) return;
    throw impairmentRefusal(req, r.stderr || r.stdout);
  }

  async clearImpairment(labId: string, input: unknown): Promise<void> {
    const req = parseOr422(captureRequest.pick({ target: true, ns: true, iface: true }), input);
    await this.#readyLab(labId);
    await this.#labs.exec(labId, req.target, { cmd: ['bash', '-s'], stdin: clearImpairmentScript(req), timeoutMs: 10_000, user: 'root' });
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    for (const c of this.#captures.values()) c.stop('the server is stopping');
    await Promise.race([Promise.all([...this.#captures.values()].map((c) => c.ended)), new Promise((r) => setTimeout(r, 3_000))]);
    this.#captures.clear();
  }
}

/** The targets whose network the map draws: one per network namespace (a kind toolbox shares its worker's). */
export function nodeTargets(targets: LabTarget[]): LabTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    if (t.kind !== 'node') return false;
    if (t.ipv4) {
      if (seen.has(t.ipv4)) return false;
      seen.add(t.ipv4);
    }
    return true;
  });
}

function parseOr422<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  input: unknown,
): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new LabRunnerError('bad-request', `Invalid request: ${i ? `${i.path.map(String).join('.') || 'body'}: ${i.message}` : 'invalid'}`);
}
