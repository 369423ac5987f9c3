// The terminal gateway: authenticates WebSocket upgrades on /api/terminal and connects them to shells.
// Independent of Next: server.ts passes it upgrades, and tests/benches run it on a plain http.Server.
//
//   GET /api/terminal?ticket=<ticket>&cols=120&rows=30   (Origin: the site's own)
//
// The ticket names learner, lab and target; the container is resolved here from the lab, never from the browser.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLogger } from '../../lib/log.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import { isLive } from '../lab/lab.ts';
import { DEFAULT_FLOW_LIMITS, type FlowLimits } from './flow-control.ts';
import { isAllowedOrigin } from './origin-check.ts';
import { CloseCode, TERMINAL_PATH, clampSize } from '../wire/terminal-protocol.ts';
import { OutputShare, type OutputShareOptions } from './output-share.ts';
import { CallBudget } from './call-budget.ts';
import { RateLimiter } from './rate-limit.ts';
import { shellCommand, shellEnv, killShellCommand } from './shell-command.ts';
import { DEFAULT_TERMINAL_BUDGETS, TerminalSession, type TerminalBudgets } from './terminal-session.ts';
import { issueTicket, NonceStore, verifyAndConsume, type TicketClaims } from './ticket.ts';
import { CommandWatcher, type CommandDone } from '../grader/command-trigger.ts';

const log = createLogger('terminal');

/** What the gateway needs from the lab-runner. */
export type TerminalLabs = Pick<LabManager, 'get' | 'execTty' | 'exec' | 'touch' | 'resume' | 'subscribe'>;

export interface TerminalGatewayOptions {
  labs: TerminalLabs;
  /** Key for ticket HMACs (derive it from the session secret with deriveKey(secret, 'terminal-ticket')). */
  ticketKey: Buffer;
  /** How long a shell survives without a browser (config TERMINAL_GRACE). */
  graceMs: number;
  /** Origins allowed to connect; default: the origin matching the request's Host. */
  allowedOrigins?: readonly string[];
  /** The site's public origin (PUBLIC_URL): always allowed, whatever Host a proxy passes on. */
  publicUrl?: string;
  /** Largest frame accepted from a browser; bigger frames close the socket with 1009. */
  maxPayloadBytes?: number;
  /** WebSocket ping interval; a socket that misses a pong is terminated (its shell stays for the grace period). */
  heartbeatMs?: number;
  scrollback?: number;
  limits?: Partial<FlowLimits>;
  /** Minimum interval between labs.touch() calls per session. */
  touchEveryMs?: number;
  /**
   * Refused upgrades (bad ticket, foreign origin, someone else's lab) allowed per client address per minute; beyond
   * that the address's failures get 429. Valid tickets are never refused for what other clients at the same
   * address did (a class behind one NAT shares it): they are limited per learner instead.
   */
  failedUpgradesPerMinute?: number;
  /** Accepted upgrades (valid tickets) per learner per minute. */
  upgradesPerLearnerPerMinute?: number;
  /** The client's address for an upgrade (server.ts honours TRUSTED_PROXY); default the TCP peer. */
  clientAddress?: (req: IncomingMessage) => string;
  /** Shells (docker exec streams) open at once, server-wide (config TERMINAL_MAX_SESSIONS). */
  maxSessions?: number;
  /** Upgrades being authorized or opening a shell at once, server-wide; beyond it upgrades get 503. */
  maxPendingUpgrades?: number;
  /** Docker calls made for terminals (exec, resize, hang-up) in flight at once, server-wide. */
  maxDockerCalls?: number;
  /** What one socket may send (resizes, control messages). */
  budgets?: Partial<TerminalBudgets>;
  /** Output share of a flooding terminal while another terminal is typing (lab-runner/terminal/output-share.ts). */
  outputShare?: Partial<OutputShareOptions>;
  /** A command typed in a terminal finished (prompt back, or output quiet): the grader checks at once (grader/command-trigger.ts). */
  onCommandDone?: (done: CommandDone) => void;
}

export interface TerminalGatewayStats {
  sessions: number;
  attached: number;
  sockets: number;
  paused: number;
  mirrorBacklogBytes: number;
  bytesOut: number;
  /** Docker resize calls made, across sessions (coalesced from the resize messages received). */
  resizeCalls: number;
  /** Docker calls for terminals in flight now, the most at once so far, and waiting for a slot. */
  dockerCallsInFlight: number;
  dockerCallsPeak: number;
  dockerCallsWaiting: number;
  pendingUpgrades: number;
}

export interface TerminalGateway {
  readonly path: string;
  /** A ticket for one terminal. The caller must have checked that the learner owns the lab. */
  issueTicket(claims: TicketClaims): { ticket: string; expiresAt: number };
  /** Handles an upgrade on the terminal path (returns true) or leaves it alone (returns false). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends every terminal of a lab (reset, stop). */
  endLab(labId: string): void;
  /** The open terminal of a lab's target, for a read-only watcher (classroom); undefined when none is open. */
  session(labId: string, target: string): TerminalSession | undefined;
  stats(): TerminalGatewayStats;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

class UpgradeRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function createTerminalGateway(opts: TerminalGatewayOptions): TerminalGateway {
  const limits: FlowLimits = { ...DEFAULT_FLOW_LIMITS, ...opts.limits };
  const scrollback = opts.scrollback ?? 1000;
  const touchEvery = opts.touchEveryMs ?? 30_000;
  const nonces = new NonceStore();
  // Failures are counted per address (a script hammering with junk tickets); what succeeds costs the learner.
  const failures = new RateLimiter(opts.failedUpgradesPerMinute ?? 120, 60_000);
  const perLearner = new RateLimiter(opts.upgradesPerLearnerPerMinute ?? 120, 60_000);
  const addressOf = opts.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const maxSessions = opts.maxSessions ?? 400;
  const maxPending = opts.maxPendingUpgrades ?? 64;
  const dockerCalls = new CallBudget(opts.maxDockerCalls ?? 32);
  const outputShare = new OutputShare(opts.outputShare);
  const budgets: TerminalBudgets = { ...DEFAULT_TERMINAL_BUDGETS, ...opts.budgets };
  let pendingUpgrades = 0;
  const sessions = new Map<string, TerminalSession>();
  const opening = new Map<string, Promise<TerminalSession>>();
  const alive = new WeakMap<WebSocket, boolean>();
  /** Labs the reaper paused for idleness: typing into one of their terminals wakes the lab. */
  const pausedLabs = new Set<string>();
  const resuming = new Map<string, Promise<unknown>>();
  let closed = false;

  function wake(labId: string): void {
    if (!pausedLabs.has(labId) || resuming.has(labId)) return;
    log.info('terminal activity on a paused lab; resuming it', { lab: labId });
    const p = opts.labs
      .resume(labId)
      .then(() => pausedLabs.delete(labId))
      .catch((err: unknown) => log.warn('could not resume lab', { lab: labId, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => resuming.delete(labId));
    resuming.set(labId, p);
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayloadBytes ?? 64 * 1024,
    // Terminal output is latency-sensitive and often incompressible; compression would cost CPU per byte.
    perMessageDeflate: false,
    clientTracking: true,
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        log.info('terminal socket missed its heartbeat; terminating');
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const unsubscribe = opts.labs.subscribe((event) => {
    if (event.type === 'state' && event.state === 'paused') pausedLabs.add(event.labId);
    else if (event.type === 'state') pausedLabs.delete(event.labId);
    if (event.type === 'state' && (event.state === 'destroyed' || event.state === 'failed')) endLab(event.labId);
    // A reset replaces every container: shells attached to the old ones are gone.
    else if (event.type === 'reset') endLab(event.labId);
    else if (event.type === 'target-down') {
      for (const s of [...sessions.values()]) if (s.claims.lab === event.labId && s.claims.target === event.target) s.end('lab-gone');
    }
  });

  function keyOf(c: TicketClaims): string {
    return `${c.learner}\u0000${c.lab}\u0000${c.target}`;
  }

  function endLab(labId: string): void {
    for (const s of [...sessions.values()]) if (s.claims.lab === labId) s.end('lab-gone');
  }

  async function openSession(claims: TicketClaims, cols: number, rows: number): Promise<TerminalSession> {
    const key = keyOf(claims);
    const existing = sessions.get(key);
    if (existing && !existing.ended) return existing;
    const pending = opening.get(key);
    if (pending) return pending;
    const promise = (async () => {
      const id = randomUUID();
      log.info('starting terminal shell', { session: id, lab: claims.lab, target: claims.target, cols, rows });
      if (sessions.size + opening.size >= maxSessions) {
        throw new UpgradeRefused(503, `this server has ${maxSessions} terminals open, its limit (TERMINAL_MAX_SESSIONS); try again in a minute`);
      }
      const exec = await dockerCalls.run(() => opts.labs.execTty(claims.lab, claims.target, { cmd: shellCommand(), env: shellEnv(id), cols, rows }));
      let lastTouch = 0;
      const session: TerminalSession = new TerminalSession({
        id,
        claims,
        exec,
        cols,
        rows,
        graceMs: opts.graceMs,
        scrollback,
        limits,
        inputLimitBytes: 8 * 1024 * 1024,
        dockerCalls,
        budgets,
        outputShare,
        ...(opts.onCommandDone ? { observer: commandWatcher(claims, opts.onCommandDone) } : {}),
        onActivity: () => {
          wake(claims.lab);
          const now = Date.now();
          if (now - lastTouch < touchEvery) return;
          lastTouch = now;
          opts.labs.touch(claims.lab).catch((err: unknown) => log.debug('touch failed', { lab: claims.lab, error: String(err) }));
        },
        kill: async () => {
          // Docker does not reliably end an exec when its connection closes: hang up the shell's process tree
          // (found by the marker in its environment), as closing a terminal window would.
          // Only in a running lab: exec would resume a paused one just to hang up a shell. A shell left in a
          // paused lab is frozen with it and ends with the lab.
          const lab = await opts.labs.get(claims.lab);
          if (!lab || lab.state !== 'ready') return;
          await dockerCalls.run(() => opts.labs.exec(claims.lab, claims.target, { cmd: killShellCommand(), env: { PW_KILL_TERMINAL: id }, timeoutMs: 10_000 }));
        },
        onEnded: (s) => {
          if (sessions.get(key) === s) sessions.delete(key);
        },
      });
      sessions.set(key, session);
      return session;
    })();
    opening.set(key, promise);
    try {
      return await promise;
    } finally {
      opening.delete(key);
    }
  }

  function commandWatcher(claims: TicketClaims, onDone: (done: CommandDone) => void): CommandWatcher {
    return new CommandWatcher({ onDone: (how) => onDone({ labId: claims.lab, target: claims.target, how }) });
  }

  /** A refusal caused by the request itself: counted against the address; past its budget, it becomes a 429. */
  function failure(address: string, status: number, message: string): UpgradeRefused {
    if (!failures.allow(address)) return new UpgradeRefused(429, 'too many refused terminal connections from this address; wait a minute');
    return new UpgradeRefused(status, message);
  }

  async function authorize(req: IncomingMessage, url: URL): Promise<TicketClaims> {
    const address = addressOf(req);
    if (!isAllowedOrigin(req, opts.allowedOrigins, opts.publicUrl))
      throw failure(address, 403, `origin ${req.headers.origin ?? '(none)'} may not open terminals`);
    const ticket = url.searchParams.get('ticket');
    if (!ticket) throw failure(address, 401, 'missing ticket');
    // Checking a ticket is one HMAC: cheap enough to do before deciding whose budget the request spends.
    const check = verifyAndConsume(opts.ticketKey, nonces, ticket);
    if (!check.ok) throw failure(address, 401, check.message);
    const claims = { learner: check.payload.learner, lab: check.payload.lab, target: check.payload.target };
    if (!perLearner.allow(claims.learner)) throw new UpgradeRefused(429, 'this learner opened too many terminal connections in the last minute; wait a minute');
    // The URL may restate lab and target (it helps logs); they must agree with what the ticket was signed for.
    for (const field of ['lab', 'target'] as const) {
      const stated = url.searchParams.get(field);
      if (stated !== null && stated !== claims[field]) throw failure(address, 403, `ticket is for ${field} ${claims[field]}, not ${stated}`);
    }
    const lab = await opts.labs.get(claims.lab);
    if (!lab || lab.state === 'destroyed') throw new UpgradeRefused(404, `lab ${claims.lab} does not exist any more`);
    if (lab.learnerId !== claims.learner) throw new UpgradeRefused(403, 'this lab belongs to someone else');
    if (!isLive(lab)) throw new UpgradeRefused(409, `lab ${claims.lab} is ${lab.state}, not ready`);
    if (!lab.targets.some((t) => t.name === claims.target)) throw new UpgradeRefused(404, `lab ${claims.lab} has no target ${claims.target}`);
    // Re-attaching to a shell in a lab paused for idleness: wake it (a new shell's execTty resumes it anyway).
    if (lab.state === 'paused') {
      pausedLabs.add(lab.id);
      wake(lab.id);
      await resuming.get(lab.id);
    }
    return claims;
  }

  function refuse(socket: Duplex, status: number, message: string): void {
    if (socket.destroyed) return;
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        (status === 429 || status === 503 ? `Retry-After: ${status === 429 ? 60 : 30}\r\n` : '') +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    let claims: TicketClaims;
    let session: TerminalSession;
    const cols = clampSize(Number(url.searchParams.get('cols')) || 80);
    const rows = clampSize(Number(url.searchParams.get('rows')) || 24);
    pendingUpgrades++;
    try {
      if (closed) throw new UpgradeRefused(503, 'server is shutting down');
      if (pendingUpgrades > maxPending) throw new UpgradeRefused(503, 'too many terminals are connecting to this server at once; try again in a few seconds');
      claims = await authorize(req, url);
      const cooling = sessions.get(keyOf(claims))?.cooldownMs() ?? 0;
      if (cooling > 0) throw new UpgradeRefused(429, `this terminal was cut off for sending too much; reconnect in ${Math.ceil(cooling / 1000)} s`);
      session = await openSession(claims, cols, rows);
    } catch (err) {
      if (err instanceof UpgradeRefused) {
        log.info('terminal upgrade refused', { status: err.status, reason: err.message, address: req.socket.remoteAddress });
        refuse(socket, err.status, err.message);
      } else {
        const message = err instanceof Error ? err.message : String(err);
        log.warn('terminal could not start', { error: message });
        refuse(socket, 502, `could not start the terminal: ${message}`);
      }
      return;
    } finally {
      pendingUpgrades--;
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      if (session.ended) {
        ws.close(CloseCode.exited, 'terminal has ended');
        return;
      }
      log.info('terminal attached', { session: session.id, lab: claims.lab, target: claims.target, cols, rows });
      session.attach(ws, cols, rows);
    });
  }

  return {
    path: TERMINAL_PATH,
    issueTicket: (claims) => issueTicket(opts.ticketKey, claims),
    handleUpgrade(req, socket, head) {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return false;
      }
      if (url.pathname !== TERMINAL_PATH) return false;
      // A client that vanishes mid-handshake must not take the server down with an unhandled 'error'.
      socket.on('error', (err) => log.debug('terminal upgrade socket error', { error: err.message }));
      void accept(req, socket, head, url);
      return true;
    },
    endLab,
    session(labId, target) {
      for (const s of sessions.values()) if (s.claims.lab === labId && s.claims.target === target && !s.ended) return s;
      return undefined;
    },
    stats() {
      let attached = 0;
      let paused = 0;
      let mirrorBacklogBytes = 0;
      let bytesOut = 0;
      let resizeCalls = 0;
      for (const s of sessions.values()) {
        const st = s.stats();
        resizeCalls += st.resizeCalls;
        if (st.attached) attached++;
        if (st.paused) paused++;
        mirrorBacklogBytes += st.mirrorBacklog;
        bytesOut += st.bytesOut;
      }
      return {
        sessions: sessions.size,
        attached,
        sockets: wss.clients.size,
        paused,
        mirrorBacklogBytes,
        bytesOut,
        resizeCalls,
        dockerCallsInFlight: dockerCalls.inFlight,
        dockerCallsPeak: dockerCalls.peak,
        dockerCallsWaiting: dockerCalls.waiting,
        pendingUpgrades,
      };
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      for (const s of [...sessions.values()]) s.end('server-closing');
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
