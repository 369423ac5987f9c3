// The browser side of one terminal: ticket -> WebSocket -> xterm, with flow-control acks, replay on
// re-attach, an app-level heartbeat (browsers cannot see WebSocket pings) and reconnect with backoff.
// Framework-free so its behaviour is easy to follow; LabTerminal wires it to React.
import type { Terminal } from '@xterm/xterm';
import { CloseCode, encodeMessage, parseServerMessage, type ClientMessage } from '../../../lab-runner/wire/terminal-protocol.ts';
import { announceTerminalActivity } from './terminal-activity.ts';

export type TerminalStatus = 'connecting' | 'live' | 'reconnecting' | 'exited' | 'closed';

export interface StatusDetail {
  status: TerminalStatus;
  /** Shown to the learner: why it is reconnecting, the exit code, who took the terminal over… */
  message?: string;
  /** When the next reconnect attempt happens (reconnecting). */
  retryAt?: number;
  attempt?: number;
  /** closed: what the learner can do ("take-over" the terminal back, "restart" a new shell, or nothing). */
  action?: 'take-over' | 'restart';
}

export interface TerminalConnectionOptions {
  labId: string;
  target: string;
  /** Where tickets come from (default /api/labs/<labId>/ticket); an exam attempt's labs have their own route. */
  ticketUrl?: string;
  term: Terminal;
  onStatus: (detail: StatusDetail) => void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 10_000];
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;
/** Input is sent in frames well under the server's maxPayload (64 KiB). */
const INPUT_FRAME_BYTES = 16 * 1024;
/** Keystrokes typed while reconnecting are kept (up to this much) and sent once live. */
const MAX_PENDING_INPUT = 4096;

export class TerminalConnection {
  readonly #opts: TerminalConnectionOptions;
  readonly #encoder = new TextEncoder();
  #ws: WebSocket | undefined;
  #status: StatusDetail = { status: 'connecting' };
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #lastHeard = 0;
  #pingId = 0;
  #ackEvery = 256 * 1024;
  #rendered = 0;
  #pendingInput: Uint8Array[] = [];
  #pendingBytes = 0;
  #disposed = false;
  #generation = 0;
  #lastError: string | undefined;
  #everLive = false;
  readonly #onOnline = () => this.reconnectNow();
  readonly #onVisible = () => {
    if (document.visibilityState === 'visible' && this.#status.status === 'live') this.#checkAlive();
  };

  constructor(opts: TerminalConnectionOptions) {
    this.#opts = opts;
    window.addEventListener('online', this.#onOnline);
    document.addEventListener('visibilitychange', this.#onVisible);
  }

  get status(): StatusDetail {
    return this.#status;
  }

  start(): void {
    void this.#connect();
  }

  /** Sends text as if typed (UTF-8). Queued briefly while reconnecting. */
  send(text: string): void {
    this.sendBytes(this.#encoder.encode(text));
  }

  sendBytes(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i += INPUT_FRAME_BYTES) {
      const frame = bytes.subarray(i, i + INPUT_FRAME_BYTES);
      if (this.#ws?.readyState === WebSocket.OPEN && this.#status.status === 'live') {
        this.#ws.send(frame);
      } else if (this.#pendingBytes + frame.length <= MAX_PENDING_INPUT) {
        this.#pendingInput.push(frame.slice());
        this.#pendingBytes += frame.length;
      }
    }
  }

  resize(cols: number, rows: number): void {
    this.#control({ type: 'resize', cols, rows });
  }

  /** Skip the backoff wait (the learner clicked "Reconnect", or the network came back). */
  reconnectNow(): void {
    if (this.#disposed || this.#status.status === 'live' || this.#status.status === 'connecting') return;
    if (this.#status.status === 'closed' || this.#status.status === 'exited') return;
    clearTimeout(this.#retryTimer);
    this.#attempt = 0;
    void this.#connect();
  }

  /** After "exited" or "closed": open a new connection (a new shell, or take this one back). */
  restart(): void {
    if (this.#disposed) return;
    clearTimeout(this.#retryTimer);
    this.#attempt = 0;
    void this.#connect();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeat);
    window.removeEventListener('online', this.#onOnline);
    document.removeEventListener('visibilitychange', this.#onVisible);
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.close(1000, 'terminal closed');
  }

  #setStatus(detail: StatusDetail): void {
    this.#status = detail;
    this.#opts.onStatus(detail);
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.#setStatus(this.#everLive ? { status: 'reconnecting', attempt: this.#attempt, message: 'Reconnecting…' } : { status: 'connecting' });
    let path: string;
    try {
      const res = await fetch(this.#opts.ticketUrl ?? `/api/labs/${encodeURIComponent(this.#opts.labId)}/ticket`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: this.#opts.target }),
        cache: 'no-store',
      });
      const body = (await res.json().catch(() => ({}))) as { path?: string; error?: string };
      if (generation !== this.#generation || this.#disposed) return;
      if (res.status === 403 || res.status === 404) {
        this.#setStatus({ status: 'closed', message: body.error ?? 'This lab is gone.' });
        return;
      }
      if (!res.ok || !body.path) throw new Error(body.error ?? `The lab server answered ${res.status}.`);
      path = body.path;
    } catch (err) {
      if (generation !== this.#generation || this.#disposed) return;
      // fetch() rejects with a bare "Failed to fetch" when the server is down or restarting.
      this.#scheduleRetry(err instanceof TypeError ? 'The lab server is not answering.' : err instanceof Error ? err.message : String(err));
      return;
    }

    const { cols, rows } = this.#opts.term;
    const url = new URL(path, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('cols', String(cols));
    url.searchParams.set('rows', String(rows));
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.#ws = ws;

    ws.onopen = () => {
      this.#lastHeard = Date.now();
      clearInterval(this.#heartbeat);
      this.#heartbeat = setInterval(() => this.#checkAlive(), HEARTBEAT_MS);
    };
    ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (ws !== this.#ws) return;
      this.#lastHeard = Date.now();
      if (typeof event.data !== 'string') {
        const bytes = new Uint8Array(event.data);
        announceTerminalActivity(this.#opts.labId);
        // Ack from the write callback: the server only learns the bytes are rendered once xterm has parsed them.
        this.#opts.term.write(bytes, () => this.#ackRendered(ws, bytes.length));
        return;
      }
      const parsed = parseServerMessage(event.data);
      if (!parsed.ok) return;
      const m = parsed.message;
      switch (m.type) {
        case 'ready':
          // The old shell is gone (server restart, grace period over): say so rather than silently continue.
          if (!m.resumed && this.#everLive) this.#opts.term.write('\r\n\x1b[2m[a new shell: the previous one has ended]\x1b[0m\r\n');
          this.#ackEvery = m.ackEvery;
          this.#rendered = 0;
          this.#attempt = 0;
          this.#everLive = true;
          this.#setStatus({ status: 'live' });
          this.#flushPendingInput();
          // The size may have changed while the ticket was being fetched.
          if (this.#opts.term.cols !== cols || this.#opts.term.rows !== rows) this.resize(this.#opts.term.cols, this.#opts.term.rows);
          break;
        case 'replay-start':
          // The replay is the whole screen: start from a clean terminal so nothing shows twice.
          this.#opts.term.reset();
          break;
        case 'replay-end':
          break;
        case 'exit':
          this.#setStatus({ status: 'exited', message: `The shell exited (code ${m.code}).`, action: 'restart' });
          break;
        case 'error':
          this.#lastError = m.message;
          break;
        case 'pong':
          break;
      }
    };
    ws.onclose = (event) => {
      if (ws !== this.#ws || this.#disposed) return;
      clearInterval(this.#heartbeat);
      this.#ws = undefined;
      const message = this.#lastError;
      this.#lastError = undefined;
      if (event.code === CloseCode.exited) {
        if (this.#status.status !== 'exited') this.#setStatus({ status: 'exited', message: 'The shell exited.', action: 'restart' });
      } else if (event.code === CloseCode.takenOver) {
        this.#setStatus({ status: 'closed', message: 'This terminal is open in another window.', action: 'take-over' });
      } else if (event.code === CloseCode.labGone) {
        this.#setStatus({ status: 'closed', message: message ?? 'The lab was stopped or reset.' });
      } else if (event.code === CloseCode.invalidMessage || event.code === 1009 || event.code === 1008) {
        this.#setStatus({ status: 'closed', message: message ?? `The server closed the terminal (${event.code}).`, action: 'restart' });
      } else if (event.code === CloseCode.overBudget || event.code === CloseCode.serverFull) {
        // The shell is still there: come back after the backoff, with the server's reason shown meanwhile.
        this.#scheduleRetry(message ?? `The server closed the terminal (${event.code}).`);
      } else {
        this.#scheduleRetry(event.code === 1006 ? 'Connection lost.' : `Connection closed (${event.code}).`);
      }
    };
    ws.onerror = () => {
      // onclose follows with the details.
    };
  }

  #scheduleRetry(reason: string): void {
    if (this.#disposed) return;
    const delay = BACKOFF_MS[Math.min(this.#attempt, BACKOFF_MS.length - 1)]!;
    this.#attempt++;
    const retryAt = Date.now() + delay;
    this.#setStatus({ status: this.#everLive ? 'reconnecting' : 'connecting', message: reason, retryAt, attempt: this.#attempt });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  #checkAlive(): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.#lastHeard > HEARTBEAT_MS + HEARTBEAT_TIMEOUT_MS) {
      // Half-open connection (laptop sleep, network change): give up on it and reconnect.
      ws.close(CloseCode.timeout, 'heartbeat timeout');
      this.#ws = undefined;
      clearInterval(this.#heartbeat);
      this.#scheduleRetry('The connection stopped answering.');
      return;
    }
    this.#control({ type: 'ping', id: ++this.#pingId });
  }

  #ackRendered(ws: WebSocket, n: number): void {
    if (ws !== this.#ws) return;
    this.#rendered += n;
    if (this.#rendered >= this.#ackEvery) {
      this.#control({ type: 'ack', bytes: this.#rendered });
      this.#rendered = 0;
    }
  }

  #control(message: ClientMessage): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(encodeMessage(message));
  }

  #flushPendingInput(): void {
    const pending = this.#pendingInput;
    this.#pendingInput = [];
    this.#pendingBytes = 0;
    for (const frame of pending) this.#ws?.send(frame);
  }
}
