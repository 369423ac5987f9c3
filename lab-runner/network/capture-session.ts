// One running capture: the exec stream that runs capture-script.ts, tshark's summary lines turned into rows, and the
// browsers watching it. Bounded everywhere: the last MAX_ROWS rows are kept, at most ROWS_PER_SECOND reach the
// browsers (the rest are counted as skipped; they are all in the pcapng), and a capture nobody watches stops after
// UNWATCHED_STOP_MS (the tab was closed) and any capture after MAX_DURATION_MS.
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import type { StreamExec } from '../runtime/container-runtime.ts';
import type { CaptureEvent, CaptureState, CaptureView, PacketRow } from '../wire/network.ts';
import { READY_MARKER, RING_PACKETS } from './capture-script.ts';

export const MAX_ROWS = 2_000;
export const ROWS_PER_SECOND = 500;
const FLUSH_MS = 200;
export const UNWATCHED_STOP_MS = 10_000;
export const MAX_DURATION_MS = 15 * 60_000;
/** Why a capture ended when tshark could not keep up with the packet rate. */
export const FELL_BEHIND =
  'tshark fell behind the packet rate: the ring buffer dropped a file before tshark decoded it, and the capture ended. The download holds the newest packets of the ring.';
/** Why a capture ended when tshark was killed (137 = SIGKILL): in a lab node that is its memory limit. tshark 4.0
 *  grows by about 22 MB for every ring file it reads back (measured in packetwalk/node), so it dies after a few
 *  thousand packets (RING_PACKETS per file) in a 256 MiB node whatever the packet rate. */
export const KILLED =
  "tshark was killed, most likely by the node's memory limit (tshark grows with every ring file it reads back). The download holds the newest packets of the ring.";
/** A summary line longer than this is not tshark's: dropped. */
const MAX_LINE = 16 * 1024;

const ekSummary = z.looseObject({
  no_: z.coerce.number().int().positive(),
  time: z.coerce.number(),
  source: z.string().default(''),
  destination: z.string().default(''),
  protocol: z.string().default(''),
  length: z.coerce.number().int().default(0),
  info: z.string().default(''),
});

/** One line of `tshark -P -T ek` output as a row; index lines and anything else give undefined. */
export function parseSummaryLine(line: string): PacketRow | undefined {
  if (!line.startsWith('{"timestamp"') || line.length > MAX_LINE) return undefined;
  try {
    const r = ekSummary.safeParse(JSON.parse(line));
    if (!r.success) return undefined;
    const d = r.data;
    return { no: d.no_, time: d.time, src: d.source, dst: d.destination, protocol: d.protocol, length: d.length, info: d.info.slice(0, 500) };
  } catch {
    return undefined;
  }
}

type Listener = (e: CaptureEvent) => void;

export class CaptureSession {
  readonly view: CaptureView;
  readonly labId: string;
  readonly rows: PacketRow[] = [];
  #stream: StreamExec | undefined;
  #listeners = new Set<Listener>();
  #pending: PacketRow[] = [];
  #budget = ROWS_PER_SECOND;
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  #unwatchedTimer: ReturnType<typeof setTimeout> | undefined;
  #maxTimer: ReturnType<typeof setTimeout> | undefined;
  #decoder = new StringDecoder('utf8');
  #partial = '';
  #tail = '';
  /** tshark numbers frames from 1 in each ring file: rows get (file - 1) * RING_PACKETS + its number. */
  #fileBase = 0;
  #lastRawNo = 0;
  readonly ended: Promise<void>;
  #resolveEnded!: () => void;

  constructor(labId: string, view: Omit<CaptureView, 'state' | 'seen' | 'skipped' | 'startedAt'>) {
    this.labId = labId;
    this.view = { ...view, state: 'starting', seen: 0, skipped: 0, startedAt: Date.now() };
    this.ended = new Promise((r) => (this.#resolveEnded = r));
  }

  attach(stream: StreamExec): void {
    this.#stream = stream;
    stream.stdout.on('data', (chunk: Buffer) => this.#onData(this.#decoder.write(chunk)));
    stream.stderr.resume();
    // Done when the process has ended and its output has been read (the end line comes last), or shortly after the
    // process ended if the stream never says so.
    const drained = new Promise<void>((r) => stream.stdout.once('end', () => r()).once('close', () => r()));
    void stream.exited.then(() => Promise.race([drained, new Promise((r) => setTimeout(r, 2_000).unref?.())])).then(() => this.#finish());
    this.#flushTimer = setInterval(() => this.#flush(), FLUSH_MS);
    this.#flushTimer.unref?.();
    this.#maxTimer = setTimeout(() => this.stop('the capture ran for its longest allowed time (15 minutes)'), MAX_DURATION_MS);
    this.#maxTimer.unref?.();
    this.#armUnwatched();
  }

  fail(reason: string): void {
    this.view.reason = reason;
    this.#set('failed');
    this.#cleanup();
  }

  /** Stops the capture (tshark is killed by the script when its stdin closes); the pcapng stays for download. */
  stop(reason: string): void {
    if (this.view.state !== 'running' && this.view.state !== 'starting') return;
    this.view.reason ??= reason;
    this.#stream?.close();
    if (!this.#stream) this.#finish();
  }

  /** Sends the capture's state and its recent rows, then every change. */
  watch(listener: Listener): () => void {
    this.#listeners.add(listener);
    clearTimeout(this.#unwatchedTimer);
    listener({ type: 'capture', capture: { ...this.view } });
    if (this.rows.length) listener({ type: 'packets', rows: this.rows.slice(-200) });
    return () => {
      this.#listeners.delete(listener);
      this.#armUnwatched();
    };
  }

  #armUnwatched(): void {
    clearTimeout(this.#unwatchedTimer);
    if (this.#listeners.size > 0 || (this.view.state !== 'running' && this.view.state !== 'starting')) return;
    this.#unwatchedTimer = setTimeout(() => this.stop('nobody was watching it (the tab was closed)'), UNWATCHED_STOP_MS);
    this.#unwatchedTimer.unref?.();
  }

  #onData(text: string): void {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    if (this.#partial.length > MAX_LINE) this.#partial = '';
    for (const line of lines) {
      if (line === READY_MARKER) {
        if (this.view.state === 'starting') this.#set('running');
        continue;
      }
      if (line.startsWith('__pw_capture_end')) {
        this.#tail = line;
        continue;
      }
      const row = parseSummaryLine(line);
      if (!row) continue;
      // tshark reads the ring's files in order (it ends when one is gone), so a number that does not grow is the next file.
      if (row.no <= this.#lastRawNo) this.#fileBase += RING_PACKETS;
      this.#lastRawNo = row.no;
      row.no += this.#fileBase;
      this.view.seen++;
      this.rows.push(row);
      if (this.rows.length > MAX_ROWS) this.rows.splice(0, this.rows.length - MAX_ROWS);
      if (this.#budget > 0) {
        this.#budget--;
        this.#pending.push(row);
      } else this.view.skipped++;
    }
  }

  #flush(): void {
    this.#budget = Math.min(ROWS_PER_SECOND, this.#budget + (ROWS_PER_SECOND * FLUSH_MS) / 1000);
    if (this.#pending.length === 0) return;
    const rows = this.#pending;
    this.#pending = [];
    this.#emit({ type: 'packets', rows });
    this.#emit({ type: 'capture', capture: { ...this.view } });
  }

  #finish(): void {
    if (this.view.state === 'stopped' || this.view.state === 'failed') return;
    this.#onData(this.#decoder.end() + '\n');
    this.#flush();
    const m = /^__pw_capture_end (\d+) ?(.*)$/.exec(this.#tail);
    const code = m ? Number(m[1]) : undefined;
    // tshark ends 0 on SIGINT; anything else before we asked it to stop is its own failure (bad interface, no rights).
    if (code === 137 && !this.view.reason) {
      this.view.reason = KILLED;
      this.#set('failed');
    } else if (code !== undefined && code !== 0 && code !== 130 && !this.view.reason) {
      this.view.reason = m?.[2]?.trim() || `tshark ended with code ${code}`;
      this.#set('failed');
    } else if (!this.view.reason && /doesn't exist/.test(m?.[2] ?? '')) {
      // tshark reads back the ring dumpcap writes; at more packets a second than it decodes, the ring drops a file
      // before tshark reaches it, and tshark ends (exit code 0) with "The file … doesn't exist".
      this.view.reason = FELL_BEHIND;
      this.#set('failed');
    } else {
      this.view.reason ??= m ? 'tshark ended' : 'the capture was stopped';
      this.#set('stopped');
    }
    this.#cleanup();
  }

  #cleanup(): void {
    clearInterval(this.#flushTimer);
    clearTimeout(this.#unwatchedTimer);
    clearTimeout(this.#maxTimer);
    this.#resolveEnded();
  }

  #set(state: CaptureState): void {
    this.view.state = state;
    this.#emit({ type: 'capture', capture: { ...this.view } });
  }

  #emit(e: CaptureEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
