// A terminal client for Node: speaks the same protocol as the browser's LabTerminal (acks from a write
// callback, replay handling, app-level ping). Used by integration tests, the benchmark and CLI tools.
// With `render: true` it feeds an @xterm/headless terminal so callers can read the screen as a person would.
import headless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { StringDecoder } from 'node:string_decoder';
import WebSocket from 'ws';
import { encodeMessage, parseServerMessage, type ClientMessage, type ServerMessage } from '../wire/terminal-protocol.ts';

const { Terminal } = headless as unknown as { Terminal: typeof HeadlessTerminal };

export interface TerminalClientOptions {
  /** ws://host:port/api/terminal?ticket=... (cols/rows are appended) */
  url: string;
  origin: string;
  cols?: number;
  rows?: number;
  /** Keep a headless terminal of what the screen shows (costs parsing time). */
  render?: boolean;
  /** Ack every N bytes (the server's ready message overrides it). */
  ackEvery?: number;
  /** Do not ack at all (a stalled or hostile browser). */
  noAck?: boolean;
  /** Keep live output in memory for text/waitFor (default true; turn off for bulk transfers). */
  keepOutput?: boolean;
  onData?: (chunk: Buffer) => void;
  /** For wss:// through a proxy: the CA to trust, the TLS name to expect, the local address to connect from. */
  socket?: Pick<WebSocket.ClientOptions, 'ca' | 'localAddress'> & { servername?: string };
}

export class TerminalClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  readonly screen: HeadlessTerminal | undefined;
  receivedBytes = 0;
  replay: Buffer[] = [];
  closeCode: number | undefined;
  closeReason = '';
  #inReplay = false;
  #text = '';
  #tail = '';
  /** Acks as a browser would; set false to behave like a stalled browser, true to catch up. */
  #acking: boolean;
  readonly #decoder = new StringDecoder('utf8');
  #unackedLocal = 0;
  #ackEvery: number;
  readonly #opts: TerminalClientOptions;
  readonly #waiters = new Set<() => void>();
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(opts: TerminalClientOptions) {
    this.#opts = opts;
    this.#ackEvery = opts.ackEvery ?? 256 * 1024;
    this.#acking = !opts.noAck;
    const cols = opts.cols ?? 80;
    const rows = opts.rows ?? 24;
    const url = new URL(opts.url);
    url.searchParams.set('cols', String(cols));
    url.searchParams.set('rows', String(rows));
    this.screen = opts.render ? new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true }) : undefined;
    this.ws = new WebSocket(url, { ...opts.socket, origin: opts.origin, perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body.trim()}`), { status: res.statusCode })));
      });
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.#notify();
        resolve(code);
      });
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  static async connect(opts: TerminalClientOptions): Promise<TerminalClient> {
    const c = new TerminalClient(opts);
    await c.opened;
    return c;
  }

  /** Live output decoded as text (UTF-8), replay excluded. */
  get text(): string {
    return this.#text;
  }

  /** The last 4 KiB of live output, kept even when keepOutput is false. */
  get lastOutput(): string {
    return this.#tail;
  }

  get acking(): boolean {
    return this.#acking;
  }

  /** Stop or resume acking; resuming acks everything rendered so far at once. */
  set acking(on: boolean) {
    this.#acking = on;
    if (on) this.#ack(0, true);
  }

  /** Forget output seen so far (waitFor then only sees what comes next). */
  clearText(): void {
    this.#text = '';
  }

  /** The visible screen and scrollback as lines (render mode). */
  screenLines(): string[] {
    const buf = this.screen!.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)!.translateToString(true));
    while (out.length && out.at(-1) === '') out.pop();
    return out;
  }

  /** Resolves once everything received has been parsed into the screen. */
  settle(): Promise<void> {
    return new Promise((r) => (this.screen ? this.screen.write('', r) : r()));
  }

  type(text: string | Buffer): void {
    this.ws.send(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, { binary: true });
  }

  control(message: ClientMessage): void {
    this.ws.send(encodeMessage(message));
  }

  resize(cols: number, rows: number): void {
    this.screen?.resize(cols, rows);
    this.control({ type: 'resize', cols, rows });
  }

  /** Waits until the live output (or, with keepOutput false, its last 4 KiB) matches. */
  waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<void> {
    const test = () => {
      const t = this.#opts.keepOutput === false ? this.#tail : this.#text;
      return typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t);
    };
    return this.#waitUntil(test, timeoutMs, () => `output matching ${pattern}; last output: ${JSON.stringify(this.#tail.slice(-400))}`);
  }

  waitForMessage(type: ServerMessage['type'], timeoutMs = 10_000): Promise<ServerMessage> {
    return this.#waitUntil(
      () => this.messages.some((m) => m.type === type),
      timeoutMs,
      () => `a ${type} message`,
    ).then(() => this.messages.find((m) => m.type === type)!);
  }

  waitForBytes(n: number, timeoutMs = 60_000): Promise<void> {
    return this.#waitUntil(
      () => this.receivedBytes >= n,
      timeoutMs,
      () => `${n} bytes (have ${this.receivedBytes})`,
    );
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }

  /** Drops the TCP connection without a close frame, like a network failure. */
  drop(): void {
    this.ws.terminate();
  }

  dispose(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    this.screen?.dispose();
  }

  #waitUntil(test: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test()) {
          cleanup();
          resolve();
        } else if (this.closeCode !== undefined) {
          cleanup();
          reject(new Error(`socket closed (${this.closeCode} ${this.closeReason}) while waiting for ${what()}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      const parsed = parseServerMessage(data.toString('utf8'));
      if (!parsed.ok) throw new Error(`server sent an invalid control message: ${parsed.error}`);
      const m = parsed.message;
      this.messages.push(m);
      if (m.type === 'ready') this.#ackEvery = m.ackEvery;
      if (m.type === 'replay-start') {
        this.#inReplay = true;
        this.screen?.reset();
      }
      if (m.type === 'replay-end') this.#inReplay = false;
      this.#notify();
      return;
    }
    if (this.#inReplay) this.replay.push(data);
    else {
      const decoded = this.#decoder.write(data);
      if (this.#opts.keepOutput !== false) this.#text += decoded;
      this.#tail = (this.#tail + decoded).slice(-4096);
      this.receivedBytes += data.length;
      this.#opts.onData?.(data);
    }
    const done = () => this.#ack(data.length);
    if (this.screen) this.screen.write(data, done);
    else done();
    this.#notify();
  }

  #ack(n: number, force = false): void {
    this.#unackedLocal += n;
    if (!this.#acking) return;
    if (this.#unackedLocal > 0 && (force || this.#unackedLocal >= this.#ackEvery) && this.ws.readyState === WebSocket.OPEN) {
      this.control({ type: 'ack', bytes: this.#unackedLocal });
      this.#unackedLocal = 0;
    }
  }
}
