// A server-side copy of what the learner's terminal shows (@xterm/headless + addon-serialize), so a browser
// that reconnects gets its exact screen back: text, colours, cursor, modes, alternate buffer, scrollback.
//
// Parsing costs CPU (~10 MB/s for "yes"-style output, ~60 MB/s for long lines). Two things keep that from
// limiting the terminal: output is queued and parsed at the mirror's own pace (backlog() lets the session
// apply back-pressure), and a backlog of plain text is trimmed when provably invisible: if the dropped bytes
// contain no escape or charset-shift byte, the mirror is on the normal buffer without a scroll region, and
// the kept tail still holds more line feeds than scrollback + rows, every row the dropped bytes wrote has
// scrolled out of the buffer by the end of the tail, so the final screen is the same.
import headless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import type { SerializeAddon as SerializeAddonType } from '@xterm/addon-serialize';

// Both packages are CommonJS bundles: named imports do not work under Node's ESM loader.
const { Terminal } = headless as unknown as { Terminal: typeof HeadlessTerminal };
const { SerializeAddon } = serializeAddon as unknown as { SerializeAddon: typeof SerializeAddonType };

export interface ScreenMirrorOptions {
  cols: number;
  rows: number;
  /** Lines kept above the screen and restored on reconnect. */
  scrollback: number;
  /** Try trimming once this many bytes wait to be parsed. */
  trimAboveBytes?: number;
  /** Called when the backlog shrinks (after each parsed chunk), for flow control. */
  onProgress?: () => void;
}

/** Bytes handed to the parser at once; small enough to keep the event loop responsive. */
const PARSE_SLICE = 64 * 1024;
const LF = 0x0a;
/** ESC, SO and SI: bytes that can change state beyond the current line (C1 controls are checked separately). */
const STATEFUL_BYTES = [0x1b, 0x0e, 0x0f];

export class ScreenMirror {
  readonly #term: HeadlessTerminal;
  readonly #serializer: SerializeAddonType;
  readonly #scrollback: number;
  readonly #trimAbove: number;
  readonly #onProgress?: () => void;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #inParser = 0;
  /** Chunks inside the parser that contain stateful bytes: while any is pending, the parser's state is not final. */
  #statefulInParser = 0;
  #droppedBytes = 0;
  #disposed = false;

  constructor(opts: ScreenMirrorOptions) {
    this.#term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, allowProposedApi: true });
    this.#serializer = new SerializeAddon();
    this.#term.loadAddon(this.#serializer);
    this.#scrollback = opts.scrollback;
    this.#trimAbove = opts.trimAboveBytes ?? 1024 * 1024;
    this.#onProgress = opts.onProgress;
  }

  /** Bytes received but not yet reflected in the mirror. */
  get backlog(): number {
    return this.#queuedBytes + this.#inParser;
  }

  /** Bytes skipped by trimming since creation (diagnostics and tests). */
  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  get cols(): number {
    return this.#term.cols;
  }

  get rows(): number {
    return this.#term.rows;
  }

  feed(chunk: Buffer): void {
    if (this.#disposed || chunk.length === 0) return;
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > this.#trimAbove) this.#trim();
    this.#pump();
  }

  resize(cols: number, rows: number): void {
    if (this.#disposed || (cols === this.#term.cols && rows === this.#term.rows)) return;
    // Resizing reflows what has been parsed; queued bytes were produced after the program saw the new size
    // only if they arrive after the resize, which is how the PTY orders them too.
    this.#term.resize(cols, rows);
  }

  /** Resolves once everything fed so far is parsed. */
  flush(): Promise<void> {
    if (this.#disposed || this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.#disposed || this.backlog === 0) resolve();
        else setImmediate(check);
      };
      check();
    });
  }

  /** The screen as a byte sequence that reproduces it on a fresh terminal of the same size. Call after flush(). */
  serialize(): string {
    return this.#serializer.serialize({ scrollback: this.#scrollback });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#term.dispose();
  }

  #pump(): void {
    while (!this.#disposed && this.#inParser < PARSE_SLICE && this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      this.#inParser += chunk.length;
      const stateful = hasStatefulByte(chunk);
      if (stateful) this.#statefulInParser++;
      this.#term.write(chunk, () => {
        if (this.#disposed) return;
        this.#inParser -= chunk.length;
        if (stateful) this.#statefulInParser--;
        this.#pump();
        this.#onProgress?.();
      });
    }
  }

  #trim(): void {
    if (this.#statefulInParser > 0 || !this.#plainScrollingState()) return;
    const all = this.#queue.length === 1 ? this.#queue[0]! : Buffer.concat(this.#queue, this.#queuedBytes);
    // Find where the tail starts: just after the (need+1)-th line feed from the end.
    const need = this.#scrollback + this.#term.rows + 1;
    let pos = all.length;
    for (let found = 0; found <= need; found++) {
      pos = pos > 0 ? all.lastIndexOf(LF, pos - 1) : -1;
      if (pos < 0) {
        this.#queue = [all];
        return;
      }
    }
    const cut = pos + 1;
    const dropped = all.subarray(0, cut);
    if (hasStatefulByte(dropped)) {
      this.#queue = [all];
      return;
    }
    const tail = all.subarray(cut);
    this.#queue = tail.length ? [tail] : [];
    this.#queuedBytes = tail.length;
    this.#droppedBytes += cut;
  }

  /**
   * Parser in its ground state (not inside an escape sequence split across chunks), normal buffer and
   * full-screen scroll region: then plain text and line feeds only push rows into scrollback.
   */
  #plainScrollingState(): boolean {
    if (this.#term.buffer.active.type !== 'normal') return false;
    // Neither the scroll region nor the parser state is public API (@xterm/headless 6.0). If they cannot be
    // read, trimming cannot be proven invisible, so the mirror simply does not trim.
    const core = (this.#term as unknown as { _core?: PrivateCore })._core;
    const active = core?.buffers?.active;
    return core?._inputHandler?._parser?.currentState === 0 && active?.scrollTop === 0 && active.scrollBottom === this.#term.rows - 1;
  }
}

interface PrivateCore {
  buffers?: { active?: { scrollTop?: number; scrollBottom?: number } };
  _inputHandler?: { _parser?: { currentState?: number } };
}

export function hasStatefulByte(buf: Buffer): boolean {
  for (const b of STATEFUL_BYTES) if (buf.indexOf(b) !== -1) return true;
  // C1 controls (U+0080..U+009F, e.g. CSI U+009B) arrive UTF-8 encoded as C2 80..C2 9F.
  for (let i = buf.indexOf(0xc2); i !== -1 && i + 1 < buf.length; i = buf.indexOf(0xc2, i + 1)) {
    const next = buf[i + 1]!;
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  return false;
}
