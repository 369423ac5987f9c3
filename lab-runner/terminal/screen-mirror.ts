// A server-side copy of what the learner's terminal shows (@xterm/headless + addon-serialize), so a browser
// that reconnects gets its exact screen back: text, colours, cursor, modes, alternate buffer, scrollback.
//
// Parsing costs CPU (~10 MB/s for "yes"-style output, ~60 MB/s for long lines). Three things keep that from
// limiting the terminal: the mirror only has to be exact when a browser re-attaches (flush()), so output is
// batched and parsed every BATCH_MS rather than as it arrives; the backlog is bounded (backlog lets the
// session apply back-pressure); and a batch of output is trimmed when provably invisible: if the dropped bytes
// hold only text and line-local escapes (escape-scan.ts), the mirror is on the normal buffer without a scroll
// region, and the kept tail still holds more line feeds than scrollback + rows, every row the dropped bytes
// wrote has scrolled out of the buffer by the end of the tail. Only the pen (SGR state) survives; its
// sequences are kept in front of the tail. So the final screen is the same.
import headless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import type { SerializeAddon as SerializeAddonType } from '@xterm/addon-serialize';
import { classifyChunk, penAfter } from './escape-scan.ts';

// Both packages are CommonJS bundles: named imports do not work under Node's ESM loader.
const { Terminal } = headless as unknown as { Terminal: typeof HeadlessTerminal };
const { SerializeAddon } = serializeAddon as unknown as { SerializeAddon: typeof SerializeAddonType };

export interface ScreenMirrorOptions {
  cols: number;
  rows: number;
  /** Lines kept above the screen and restored on reconnect. */
  scrollback: number;
  /** Try trimming once this many bytes wait to be parsed (and at every batch). */
  trimAboveBytes?: number;
  /** Skip invisible plain text (default true); false parses every byte, for comparisons in tests. */
  trim?: boolean;
  /** Called when the backlog shrinks (after each parsed chunk), for flow control. */
  onProgress?: () => void;
}

/** Bytes handed to the parser at once; small enough to keep the event loop responsive. */
const PARSE_SLICE = 64 * 1024;
/** Output is collected this long before parsing, so floods of plain text can be trimmed before they cost CPU. */
const BATCH_MS = 40;
const LF = 0x0a;

export class ScreenMirror {
  readonly #term: HeadlessTerminal;
  readonly #serializer: SerializeAddonType;
  readonly #scrollback: number;
  readonly #trimAbove: number;
  readonly #trimEnabled: boolean;
  readonly #onProgress?: () => void;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #inParser = 0;
  /** Chunks inside the parser that may change lasting state (modes, buffers, scroll region): trimming waits for them. */
  #unsafeInParser = 0;
  /** The last chunk given to the parser may have ended inside an escape sequence. */
  #carryOpen = false;
  #droppedBytes = 0;
  #disposed = false;
  #batchTimer: NodeJS.Timeout | undefined;
  /** Bytes the current drain may still hand to the parser; data arriving meanwhile waits for the next batch. */
  #drainBudget = 0;
  /** After a trim found nothing to drop, wait for this much queued data before trying again (no quadratic rescans). */
  #nextTrimAt = 0;
  /** When output last arrived, and whether a flush() wants everything parsed now. */
  #lastFeedAt = 0;
  #flushing = 0;

  constructor(opts: ScreenMirrorOptions) {
    this.#term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, allowProposedApi: true });
    this.#serializer = new SerializeAddon();
    this.#term.loadAddon(this.#serializer);
    this.#scrollback = opts.scrollback;
    this.#trimAbove = opts.trimAboveBytes ?? 256 * 1024;
    this.#trimEnabled = opts.trim ?? true;
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
    this.#lastFeedAt = performance.now();
    if (this.#queuedBytes > Math.max(this.#trimAbove, this.#nextTrimAt)) this.#trim();
    // Mid-drain, the parser takes more as it frees up; otherwise the next batch is scheduled.
    if (this.#drainBudget > 0) this.#pump();
    else this.#scheduleDrain();
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
    this.#flushing++;
    return new Promise((resolve) => {
      const check = () => {
        if (this.#disposed || this.backlog === 0) {
          this.#flushing--;
          return resolve();
        }
        // Drain now rather than at the next batch; keep going until whatever arrives meanwhile is parsed too.
        if (this.#queuedBytes > 0 && this.#drainBudget === 0) this.#drain();
        setImmediate(check);
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
    clearTimeout(this.#batchTimer);
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#term.dispose();
  }

  #scheduleDrain(): void {
    if (this.#batchTimer || this.#drainBudget > 0 || this.#disposed) return;
    this.#batchTimer = setTimeout(() => this.#drain(), BATCH_MS);
    this.#batchTimer.unref();
  }

  #drain(): void {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    if (this.#disposed) return;
    this.#trim();
    this.#drainBudget = this.#queuedBytes;
    this.#pump();
  }

  /**
   * The next piece for the parser: up to PARSE_SLICE bytes, ending just after a line feed when there is one.
   * Docker hands over ~4 KiB reads that often end inside an escape sequence; cutting at line ends keeps the
   * parser at a clean boundary between pieces, which is what lets the next batch be trimmed. A partial line
   * with nothing after it waits (undefined) while output is still flowing: its end is a few bytes away, and
   * parsing it now would leave the parser inside an escape sequence, which blocks the next trim. It goes in
   * once output has paused (a prompt, a progress bar) or when flush() needs everything.
   */
  #nextPiece(): Buffer | undefined {
    const quiet = this.#flushing > 0 || performance.now() - this.#lastFeedAt >= BATCH_MS / 2;
    const first = this.#queue[0]!;
    if (!quiet && this.#queuedBytes <= PARSE_SLICE && this.#queue.every((b) => b.indexOf(LF) === -1)) return undefined;
    let size = 0;
    let n = 0;
    while (n < this.#queue.length && size < PARSE_SLICE) size += this.#queue[n++]!.length;
    const joined = n === 1 ? first : Buffer.concat(this.#queue.slice(0, n), size);
    this.#queue.splice(0, n);
    const lf = joined.lastIndexOf(LF);
    if (lf === -1 || lf === joined.length - 1) return joined;
    this.#queue.unshift(joined.subarray(lf + 1));
    return joined.subarray(0, lf + 1);
  }

  #pump(): void {
    if (this.#queue.length === 0) this.#drainBudget = 0;
    while (!this.#disposed && this.#inParser < PARSE_SLICE && this.#drainBudget > 0 && this.#queue.length > 0) {
      const chunk = this.#nextPiece();
      if (!chunk) {
        // A partial line waits for the rest of its output (see #nextPiece); the next batch takes it.
        this.#drainBudget = 0;
        this.#scheduleDrain();
        break;
      }
      this.#queuedBytes -= chunk.length;
      this.#drainBudget = Math.max(0, this.#drainBudget - chunk.length);
      this.#inParser += chunk.length;
      const cls = classifyChunk(chunk);
      // A chunk continuing an escape sequence from the previous one cannot be judged on its own bytes.
      const unsafe = !cls.lineLocal || this.#carryOpen;
      this.#carryOpen = cls.endsOpen || (this.#carryOpen && chunk.indexOf(0x1b) === -1);
      if (unsafe) this.#unsafeInParser++;
      this.#term.write(chunk, () => {
        if (this.#disposed) return;
        this.#inParser -= chunk.length;
        if (unsafe) this.#unsafeInParser--;
        if (this.#inParser === 0 && this.#parserInGround()) this.#carryOpen = false;
        this.#pump();
        if (this.#queue.length === 0) this.#drainBudget = 0;
        if (this.#drainBudget === 0 && this.#queuedBytes > 0) this.#scheduleDrain();
        this.#onProgress?.();
      });
    }
  }

  #trim(): void {
    if (this.#queuedBytes === 0 || !this.#trimEnabled) return;
    this.#nextTrimAt = this.#queuedBytes + this.#trimAbove;
    if (this.#unsafeInParser > 0 || this.#carryOpen || !this.#plainScrollingState()) return;
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
    const pen = penAfter(all.subarray(0, cut));
    if (pen === undefined) {
      this.#queue = [all];
      return;
    }
    const tail = all.subarray(cut);
    this.#queue = [pen, tail].filter((b) => b.length > 0);
    this.#queuedBytes = pen.length + tail.length;
    this.#droppedBytes += cut - pen.length;
    this.#nextTrimAt = 0;
    // A drain in progress was promised bytes that are gone now: it must not wait for them.
    this.#drainBudget = Math.min(this.#drainBudget, this.#queuedBytes);
  }

  /**
   * Parser in its ground state (not inside an escape sequence split across chunks), normal buffer and
   * full-screen scroll region: then plain text and line feeds only push rows into scrollback.
   */
  #plainScrollingState(): boolean {
    if (this.#term.buffer.active.type !== 'normal') return false;
    // Neither the scroll region nor the parser state is public API (@xterm/headless 6.0). If they cannot be
    // read, trimming cannot be proven invisible, so the mirror simply does not trim.
    const active = this.#core()?.buffers?.active;
    // With chunks still in the parser, its state is mid-chunk; those chunks are known to end cleanly (carryOpen).
    return (this.#inParser > 0 || this.#parserInGround()) && active?.scrollTop === 0 && active.scrollBottom === this.#term.rows - 1;
  }

  #parserInGround(): boolean {
    return this.#core()?._inputHandler?._parser?.currentState === 0;
  }

  #core(): PrivateCore | undefined {
    return (this.#term as unknown as { _core?: PrivateCore })._core;
  }
}

interface PrivateCore {
  buffers?: { active?: { scrollTop?: number; scrollBottom?: number } };
  _inputHandler?: { _parser?: { currentState?: number } };
}
