// One shell in one lab target, and at most one browser socket attached to it.
// The shell outlives the socket: a dropped socket starts a grace timer, a new socket (same learner, lab and
// target) re-attaches and gets the screen back from the ScreenMirror before live output resumes.
import type { WebSocket, RawData } from 'ws';
import type { TtyExec } from '../runtime/container-runtime.ts';
import { createLogger } from '../../lib/log.ts';
import type { CallBudget } from './call-budget.ts';
import { FlowGate, type FlowLimits } from './flow-control.ts';
import type { OutputMeter, OutputShare } from './output-share.ts';
import { TokenBucket } from './token-bucket.ts';
import { ScreenMirror } from './screen-mirror.ts';
import { CloseCode, clampSize, encodeMessage, parseClientMessage, type ServerMessage } from '../wire/terminal-protocol.ts';
import type { TicketClaims } from './ticket.ts';

const log = createLogger('terminal');
const COALESCE_BYTES = 64 * 1024;
/**
 * While a program floods the terminal, output waits up to this long to fill a bigger frame. Docker hands the
 * gateway ~4 KiB reads; one WebSocket frame (one writev, one wake-up of the browser) per read is most of what a
 * flood costs the gateway. Interactive output (an echo, a prompt) never waits: see #inFlood.
 */
const FLOOD_HOLD_MS = 4;
/** Output counts as a flood when the last frame was at least this big and went out this recently. */
const FLOOD_FRAME_BYTES = 2 * 1024;
const FLOOD_GAP_MS = 10;
/**
 * Resizes are coalesced: the latest size wins and at most one Docker resize call per terminal is in flight, at
 * most one every RESIZE_INTERVAL_MS (4 a second). Each resize also reflows the screen mirror's scrollback, so a
 * flood of resize messages must cost a bounded amount whatever its rate.
 */
export const RESIZE_INTERVAL_MS = 250;
/** After a socket is cut off for going over budget, re-attaching to the same shell is refused for this long. */
export const OVER_BUDGET_COOLDOWN_MS = 10_000;

export interface TerminalSessionOptions {
  id: string;
  claims: TicketClaims;
  exec: TtyExec;
  cols: number;
  rows: number;
  /** How long the shell survives without a browser attached. */
  graceMs: number;
  scrollback: number;
  limits: FlowLimits;
  /** Bytes of keyboard/paste input buffered for a program that does not read them before the socket is cut. */
  inputLimitBytes: number;
  /** Learner activity (throttled by the caller). */
  onActivity: () => void;
  /** Makes sure the shell and its children are gone (best effort) once the session ends. */
  kill: () => Promise<void>;
  onEnded: (session: TerminalSession) => void;
  /** Server-wide bound on Docker calls in flight; this session's resizes go through it. */
  dockerCalls: CallBudget;
  /** Per-socket budgets: resize messages and control messages in general (per second, burst). */
  budgets: TerminalBudgets;
  /** Server-wide fair share of output: a flooding terminal is slowed while another terminal is typing. */
  outputShare?: OutputShare;
  /** Sees what the learner types and what the shell prints (the grader's command trigger, grader/command-trigger.ts). */
  observer?: { input(bytes: Buffer): void; output(bytes: Buffer): void; dispose(): void };
}

export interface TerminalBudgets {
  resizePerSecond: number;
  resizeBurst: number;
  controlPerSecond: number;
  controlBurst: number;
}

/**
 * Far above what a browser sends: the fit addon resizes at most every 60 ms while a window is dragged (≤ 17/s),
 * and acks come every 256 KiB of output (≤ ~200/s at the fastest floods Docker delivers).
 */
export const DEFAULT_TERMINAL_BUDGETS: TerminalBudgets = { resizePerSecond: 20, resizeBurst: 60, controlPerSecond: 1000, controlBurst: 2000 };

export type EndReason = 'exited' | 'grace-expired' | 'lab-gone' | 'server-closing' | 'exec-error';

interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * Where the session stands with its browser. While a socket is attaching, the shell's output waits (the stream is
 * held) until the replay is out, so the browser sees each byte exactly once; the shell is held the same way before
 * any browser came, so nothing is lost. A detached shell writes on into the mirror, up to the flow gate's budget.
 * `resumed`: a replay has gone out to some browser before (the next "ready" says so).
 */
type Attachment =
  /** No browser has attached yet. */
  | { phase: 'awaiting-browser' }
  /** `ws` is attached; its replay is being prepared at `size`, the size it asked for (the latest resize wins). */
  | { phase: 'attaching'; ws: WebSocket; size: TerminalSize; resumed: boolean }
  /** `ws` has had its replay; output goes to it as it comes. */
  | { phase: 'live'; ws: WebSocket }
  /** The socket went; the shell lives on for the grace period. `detachedBytes`: output produced since. */
  | { phase: 'detached'; detachedBytes: number; resumed: boolean }
  | { phase: 'ended' };

export class TerminalSession {
  readonly id: string;
  readonly claims: TicketClaims;
  readonly createdAt = Date.now();
  readonly #opts: TerminalSessionOptions;
  readonly #exec: TtyExec;
  readonly #mirror: ScreenMirror;
  readonly #gate: FlowGate;
  #attachment: Attachment = { phase: 'awaiting-browser' };
  #unacked = 0;
  #graceTimer: NodeJS.Timeout | undefined;
  #bytesOut = 0;
  #cols: number;
  #rows: number;
  /** Input typed while a resize is wanted or on its way to Docker waits for it, so a command sees the size it was typed at. */
  #resizing = false;
  /** The latest size asked for and not yet sent to Docker (coalesced: the latest wins). */
  #wantedSize: TerminalSize | undefined;
  #resizeTimer: NodeJS.Timeout | undefined;
  #lastResizeAt = -Infinity;
  #resizeCalls = 0;
  #resizeBucket: TokenBucket | undefined;
  #controlBucket: TokenBucket | undefined;
  #cooldownUntil = 0;
  #heldInput: Buffer[] = [];
  #heldInputBytes = 0;
  /** Output waiting for the end of this event-loop turn: Docker delivers ~4 KiB reads; one frame per turn is cheaper for both ends. */
  #outQueue: Buffer[] = [];
  #outQueuedBytes = 0;
  #outFlushScheduled = false;
  #outFlushTimer: NodeJS.Timeout | undefined;
  #lastFrameAt = 0;
  #lastFrameBytes = 0;
  readonly #meter: OutputMeter | undefined;
  /** Paused for the output share (not for back-pressure): resumed by its timer, unless the flow gate still holds it. */
  #throttleTimer: NodeJS.Timeout | undefined;

  constructor(opts: TerminalSessionOptions) {
    this.id = opts.id;
    this.claims = opts.claims;
    this.#opts = opts;
    this.#exec = opts.exec;
    this.#cols = opts.cols;
    this.#rows = opts.rows;
    this.#gate = new FlowGate(opts.limits);
    this.#meter = opts.outputShare?.meter(opts.id);
    this.#mirror = new ScreenMirror({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, onProgress: () => this.#evaluate() });

    const stream = this.#exec.stream;
    stream.on('data', (chunk: Buffer) => this.#onOutput(chunk));
    stream.on('error', (err) => log.warn('exec stream error', { session: this.id, lab: this.claims.lab, target: this.claims.target, error: err.message }));
    this.#evaluate();
    // Until a browser attaches the shell waits (holding); if none ever does, the grace period still applies.
    this.#startGraceTimer();
    // The program's exit code arrives with exited; the bytes it wrote before exiting arrive with the stream's end.
    const streamDone = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
    });
    Promise.all([this.#exec.exited, streamDone]).then(
      ([code]) => this.end('exited', code),
      (err: unknown) => {
        log.warn('exec ended with an error', { session: this.id, error: err instanceof Error ? err.message : String(err) });
        this.end('exec-error', -1);
      },
    );
  }

  get attached(): boolean {
    return this.#socket !== undefined;
  }

  get ended(): boolean {
    return this.#attachment.phase === 'ended';
  }

  /** The attached socket (attaching or live). */
  get #socket(): WebSocket | undefined {
    const a = this.#attachment;
    return a.phase === 'attaching' || a.phase === 'live' ? a.ws : undefined;
  }

  /** Milliseconds until a new socket may attach again after one was cut off for flooding (0: now). */
  cooldownMs(now = performance.now()): number {
    return Math.max(0, this.#cooldownUntil - now);
  }

  stats() {
    return {
      id: this.id,
      attached: this.attached,
      paused: this.#gate.paused,
      pauses: this.#gate.pauses,
      unacked: this.#unacked,
      mirrorBacklog: this.#mirror.backlog,
      mirrorDropped: this.#mirror.droppedBytes,
      bytesOut: this.#bytesOut,
      /** Docker resize calls made (coalesced from however many resize messages arrived). */
      resizeCalls: this.#resizeCalls,
    };
  }

  /** Attach a browser socket; a socket already attached is told it was taken over and closed. */
  attach(ws: WebSocket, cols: number, rows: number): void {
    const before = this.#attachment;
    if (before.phase === 'ended') {
      ws.close(CloseCode.exited, 'terminal has ended');
      return;
    }
    // Whether a replay went out before: to the socket being taken over (live), or to one that has gone since.
    const resumed = before.phase === 'live' || ((before.phase === 'attaching' || before.phase === 'detached') && before.resumed);
    // From here the previous socket, if any, is no longer this session's: its close event is ignored.
    this.#attachment = { phase: 'attaching', ws, size: { cols, rows }, resumed };
    if (before.phase === 'attaching' || before.phase === 'live') {
      this.#sendTo(before.ws, { type: 'error', message: 'This terminal was opened in another window.' });
      before.ws.close(CloseCode.takenOver, 'opened in another window');
    }
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    // Output not yet sent to the previous socket is in the mirror; the replay for this one includes it.
    this.#outQueue = [];
    this.#outQueuedBytes = 0;
    const b = this.#opts.budgets;
    this.#resizeBucket = new TokenBucket(b.resizePerSecond, b.resizeBurst);
    this.#controlBucket = new TokenBucket(b.controlPerSecond, b.controlBurst);
    this.#evaluate();
    ws.on('message', (data, isBinary) => this.#onMessage(ws, data, isBinary));
    ws.on('close', () => this.#onSocketClosed(ws));
    ws.on('error', (err) => log.warn('terminal socket error', { session: this.id, error: err.message }));

    void this.#replayThenGoLive(ws);
  }

  /** End the session: the shell is killed and any socket closed. Idempotent. */
  end(reason: EndReason, exitCode?: number): void {
    const before = this.#attachment;
    if (before.phase === 'ended') return;
    // Output still waiting for its frame goes out first: a shell's last words (its "logout", the tail of a flood
    // held for FLOOD_HOLD_MS) come before "exit". Once ended, nothing more is sent.
    if (before.phase === 'live') this.#flushOutput();
    this.#attachment = { phase: 'ended' };
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#resizeTimer);
    clearTimeout(this.#throttleTimer);
    this.#throttleTimer = undefined;
    this.#opts.outputShare?.forget(this.id);
    log.info('terminal session ended', { session: this.id, lab: this.claims.lab, target: this.claims.target, reason, exitCode });
    const ws = before.phase === 'attaching' || before.phase === 'live' ? before.ws : undefined;
    if (ws) {
      if (reason === 'exited') {
        this.#sendTo(ws, { type: 'exit', code: exitCode ?? 0 });
        ws.close(CloseCode.exited, 'shell exited');
      } else if (reason === 'lab-gone') {
        this.#sendTo(ws, { type: 'error', message: 'The lab was stopped or reset.' });
        ws.close(CloseCode.labGone, 'lab is gone');
      } else if (reason === 'server-closing') {
        ws.close(CloseCode.goingAway, 'server is restarting');
      } else {
        this.#sendTo(ws, { type: 'error', message: 'The terminal stopped unexpectedly.' });
        ws.close(CloseCode.execFailed, 'terminal failed');
      }
    }
    this.#flushWatchers();
    for (const w of [...this.#watchers]) w.onEnd();
    this.#watchers.clear();
    this.#mirror.dispose();
    this.#opts.observer?.dispose();
    this.#exec.stream.destroy();
    if (reason !== 'exited') {
      this.#opts
        .kill()
        .catch((err: unknown) => log.warn('could not kill terminal shell', { session: this.id, error: err instanceof Error ? err.message : String(err) }));
    }
    this.#opts.onEnded(this);
  }

  async #replayThenGoLive(ws: WebSocket): Promise<void> {
    // Everything the shell wrote so far must be in the mirror before it is serialized; output produced
    // meanwhile waits (holding) and goes out after the replay, so the browser sees each byte exactly once.
    await this.#mirror.flush();
    const attaching = this.#attachment;
    if (attaching.phase !== 'attaching' || attaching.ws !== ws || ws.readyState !== ws.OPEN) return;
    // Bytes written for the old size were parsed at the old size (flush above); now reflow to the new one.
    this.#applySize(attaching.size.cols, attaching.size.rows);
    const replay = this.#mirror.serialize();
    this.#unacked = 0;
    this.#sendTo(ws, { type: 'ready', resumed: attaching.resumed, target: this.claims.target, ackEvery: this.#opts.limits.ackEveryBytes });
    if (replay.length > 0) {
      const bytes = Buffer.from(replay, 'utf8');
      this.#sendTo(ws, { type: 'replay-start', bytes: bytes.length });
      this.#sendBinary(ws, bytes);
      this.#sendTo(ws, { type: 'replay-end' });
    }
    this.#attachment = { phase: 'live', ws };
    this.#opts.onActivity();
    this.#evaluate();
  }

  /**
   * A read-only observer (a trainer's view): the screen as it is now, then every byte of output as it comes. Watchers
   * never send input and never hold the shell back (no acks, no back-pressure); a slow one is the caller's to drop.
   */
  async watch(onOutput: (chunk: Buffer) => void, onEnd: () => void): Promise<{ screen: string; cols: number; rows: number; stop: () => void }> {
    if (this.ended) throw new Error('terminal has ended');
    // The shell's output is held for the moment flush() needs to parse what was written so far (as when a browser
    // attaches; a flood would otherwise never let the backlog reach zero); the screen is serialized and the watcher
    // subscribed in the same turn, so no byte is lost or doubled; then output flows again.
    this.#watchStarting++;
    this.#evaluate();
    let screen: string;
    const watcher = { onOutput, onEnd, pending: [] as Buffer[] };
    try {
      await this.#mirror.flush();
      if (this.ended) throw new Error('terminal has ended');
      screen = this.#mirror.serialize();
      this.#watchers.add(watcher);
    } finally {
      this.#watchStarting--;
      this.#evaluate();
    }
    return { screen, cols: this.#cols, rows: this.#rows, stop: () => this.#watchers.delete(watcher) };
  }

  get watchers(): number {
    return this.#watchers.size;
  }

  readonly #watchers = new Set<{ onOutput: (chunk: Buffer) => void; onEnd: () => void; pending: Buffer[] }>();
  /** Watchers being set up: output is held meanwhile (see watch()). */
  #watchStarting = 0;
  #watchFlushScheduled = false;

  /** Watchers get their copy after the learner's own frame has gone out (queued behind it on the event loop). */
  #queueForWatchers(chunk: Buffer): void {
    if (this.#watchers.size === 0) return;
    for (const w of this.#watchers) w.pending.push(chunk);
    if (this.#watchFlushScheduled) return;
    this.#watchFlushScheduled = true;
    setImmediate(() => this.#flushWatchers());
  }

  #flushWatchers(): void {
    this.#watchFlushScheduled = false;
    for (const w of this.#watchers) {
      if (w.pending.length === 0) continue;
      const data = w.pending.length === 1 ? w.pending[0]! : Buffer.concat(w.pending);
      w.pending = [];
      w.onOutput(data);
    }
  }

  #onOutput(chunk: Buffer): void {
    const attachment = this.#attachment;
    if (attachment.phase === 'ended') return;
    this.#mirror.feed(chunk);
    this.#opts.observer?.output(chunk);
    if (attachment.phase === 'live') {
      this.#outQueue.push(chunk);
      this.#outQueuedBytes += chunk.length;
      this.#unacked += chunk.length;
      if (this.#outQueuedBytes >= COALESCE_BYTES) this.#flushOutput();
      else if (!this.#outFlushScheduled) {
        this.#outFlushScheduled = true;
        if (this.#inFlood()) this.#outFlushTimer = setTimeout(() => this.#flushOutput(), FLOOD_HOLD_MS);
        else setImmediate(() => this.#flushOutput());
      }
    } else if (attachment.phase === 'detached') {
      attachment.detachedBytes += chunk.length;
    }
    this.#queueForWatchers(chunk);
    this.#evaluate();
    this.#share(chunk.length);
  }

  /** Over its share while a neighbour types: pause the stream for the time the bucket needs to refill. */
  #share(bytes: number): void {
    const waitMs = this.#meter?.spend(bytes) ?? 0;
    if (waitMs <= 0 || this.#throttleTimer || this.ended) return;
    this.#exec.stream.pause();
    this.#throttleTimer = setTimeout(() => {
      this.#throttleTimer = undefined;
      if (!this.ended && !this.#gate.paused) this.#exec.stream.resume();
    }, waitMs);
  }

  /** The previous frame was big and recent: more output is very likely on its way, so it may wait a moment. */
  #inFlood(): boolean {
    return this.#lastFrameBytes >= FLOOD_FRAME_BYTES && performance.now() - this.#lastFrameAt < FLOOD_GAP_MS;
  }

  #flushOutput(): void {
    this.#outFlushScheduled = false;
    clearTimeout(this.#outFlushTimer);
    this.#outFlushTimer = undefined;
    if (this.#outQueue.length === 0) return;
    const frame = this.#outQueue.length === 1 ? this.#outQueue[0]! : Buffer.concat(this.#outQueue, this.#outQueuedBytes);
    this.#outQueue = [];
    this.#outQueuedBytes = 0;
    const attachment = this.#attachment;
    // Bytes queued for a socket that has since gone are in the mirror: the next attach replays them.
    if (attachment.phase !== 'live' || attachment.ws.readyState !== attachment.ws.OPEN) return;
    const ws = attachment.ws;
    this.#lastFrameAt = performance.now();
    this.#lastFrameBytes = frame.length;
    this.#bytesOut += frame.length;
    ws.send(frame, { binary: true }, () => this.#evaluate());
  }

  #sendBinary(ws: WebSocket, bytes: Buffer): void {
    if (ws.readyState !== ws.OPEN) return;
    this.#unacked += bytes.length;
    this.#bytesOut += bytes.length;
    ws.send(bytes, { binary: true }, () => this.#evaluate());
  }

  #sendTo(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  }

  #onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    // A socket being closed (over budget, invalid message) may still deliver what it had sent: ignore it.
    if (ws !== this.#socket || ws.readyState !== ws.OPEN) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) {
      if (this.#exec.stream.writableLength + this.#heldInputBytes > this.#opts.inputLimitBytes) {
        // The program is not reading its input; buffering more would only grow server memory.
        this.#sendTo(ws, { type: 'error', message: 'Too much input is waiting for the program to read it.' });
        ws.close(1008, 'input overflow');
        return;
      }
      if (this.#resizing || this.#wantedSize) {
        this.#heldInput.push(buf);
        this.#heldInputBytes += buf.length;
      } else {
        this.#exec.stream.write(buf);
      }
      this.#opts.outputShare?.typed(this.id);
      this.#opts.observer?.input(buf);
      this.#opts.onActivity();
      return;
    }
    if (!this.#controlBucket!.take()) {
      this.#overBudget(ws, 'Too many control messages from this terminal.');
      return;
    }
    const parsed = parseClientMessage(buf.toString('utf8'));
    if (!parsed.ok) {
      log.warn('invalid control message; closing terminal socket', { session: this.id, error: parsed.error });
      this.#sendTo(ws, { type: 'error', message: parsed.error });
      ws.close(CloseCode.invalidMessage, 'invalid control message');
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'ack':
        this.#unacked = Math.max(0, this.#unacked - m.bytes);
        this.#evaluate();
        break;
      case 'resize':
        if (!this.#resizeBucket!.take()) {
          this.#overBudget(ws, 'Too many resize messages from this terminal.');
          return;
        }
        // While attaching, the replay will be serialized at the latest size asked for.
        if (this.#attachment.phase === 'attaching') this.#attachment.size = { cols: m.cols, rows: m.rows };
        else this.#requestSize(m.cols, m.rows);
        break;
      case 'ping':
        this.#sendTo(ws, { type: 'pong', id: m.id });
        break;
    }
  }

  /** A socket that asks more of the server than any browser would is closed (it may reconnect); the shell stays. */
  #overBudget(ws: WebSocket, message: string): void {
    log.warn('terminal socket over its budget; closing it', { session: this.id, lab: this.claims.lab, target: this.claims.target, reason: message });
    // Reconnecting at once to flood again would make every attach (replay, serialize) part of the attack.
    this.#cooldownUntil = performance.now() + OVER_BUDGET_COOLDOWN_MS;
    this.#sendTo(ws, { type: 'error', message });
    ws.close(CloseCode.overBudget, 'over budget');
  }

  /** Applied at once (the attach path: the replay must be serialized at the browser's size). */
  #applySize(cols: number, rows: number): void {
    this.#wantedSize = undefined;
    this.#resizeTo(clampSize(cols), clampSize(rows));
  }

  /** Coalesced: the latest size wins; Docker hears of it at most every RESIZE_INTERVAL_MS, one call at a time. */
  #requestSize(cols: number, rows: number): void {
    this.#wantedSize = { cols: clampSize(cols), rows: clampSize(rows) };
    this.#pumpResize();
  }

  #pumpResize(): void {
    if (this.ended || this.#resizing || !this.#wantedSize || this.#resizeTimer) return;
    const wait = this.#lastResizeAt + RESIZE_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.#resizeTimer = setTimeout(() => {
        this.#resizeTimer = undefined;
        this.#pumpResize();
      }, wait);
      return;
    }
    const { cols, rows } = this.#wantedSize;
    this.#wantedSize = undefined;
    this.#resizeTo(cols, rows);
    if (!this.#resizing) this.#releaseInput();
  }

  #resizeTo(c: number, r: number): void {
    if (c === this.#cols && r === this.#rows) return;
    this.#cols = c;
    this.#rows = r;
    this.#mirror.resize(c, r);
    this.#resizing = true;
    this.#resizeCalls++;
    this.#lastResizeAt = performance.now();
    this.#opts.dockerCalls
      .run(() => this.#exec.resize(c, r))
      .catch((err: unknown) =>
        log.warn('terminal resize failed', { session: this.id, cols: c, rows: r, error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => {
        this.#resizing = false;
        if (this.ended) return;
        if (this.#wantedSize) this.#pumpResize();
        else this.#releaseInput();
      });
  }

  /** Keystrokes held while a resize was on its way go to the program now. */
  #releaseInput(): void {
    if (this.#resizing || this.#wantedSize || this.ended || this.#heldInput.length === 0) return;
    for (const b of this.#heldInput) this.#exec.stream.write(b);
    this.#heldInput = [];
    this.#heldInputBytes = 0;
  }

  #onSocketClosed(ws: WebSocket): void {
    const before = this.#attachment;
    if ((before.phase !== 'attaching' && before.phase !== 'live') || ws !== before.ws) return;
    this.#attachment = { phase: 'detached', detachedBytes: 0, resumed: before.phase === 'live' || before.resumed };
    this.#outQueue = [];
    this.#outQueuedBytes = 0;
    this.#unacked = 0;
    this.#evaluate();
    log.info('terminal detached; keeping the shell for the grace period', { session: this.id, graceMs: this.#opts.graceMs });
    this.#startGraceTimer();
  }

  #startGraceTimer(): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(() => this.end('grace-expired'), this.#opts.graceMs);
    this.#graceTimer.unref();
  }

  #evaluate(): void {
    const attachment = this.#attachment;
    if (attachment.phase === 'ended') return;
    const decision = this.#gate.decide({
      unacked: this.#unacked,
      buffered: this.#socket?.bufferedAmount ?? 0,
      mirror: this.#mirror.backlog,
      detachedBytes: attachment.phase === 'detached' ? attachment.detachedBytes : undefined,
      holding: attachment.phase === 'awaiting-browser' || attachment.phase === 'attaching' || this.#watchStarting > 0,
    });
    if (decision === 'pause') this.#exec.stream.pause();
    else if (decision === 'resume' && !this.#throttleTimer) this.#exec.stream.resume();
  }
}
