// One running capture: the exec stream that runs capture-script.ts, the list's summary lines turned into rows, and
// the browsers watching it. Bounded everywhere: the last MAX_ROWS rows are kept, at most ROWS_PER_SECOND reach the
// browsers (the rest are counted as skipped; they are all in the pcapng), and a capture nobody watches stops after
// UNWATCHED_STOP_MS (the tab was closed) and any capture after MAX_DURATION_MS.
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import type { StreamExec } from '../runtime/container-runtime.ts';
import type { CaptureEvent, CaptureState, CaptureView, PacketRow } from '../wire/network.ts';
import { END_MARKER, EPOCH, READY_MARKER } from './capture-script.ts';

export const MAX_ROWS = 2_000;
export const ROWS_PER_SECOND = 500;
const FLUSH_MS = 200;
export const UNWATCHED_STOP_MS = 10_000;
export const MAX_DURATION_MS = 15 * 60_000;
/** Why a capture ended when one of its processes was killed (137 = SIGKILL): in a lab node that is its memory limit
 *  (the learner's own processes share it). */
export function killedReason(which: 'ring' | 'list'): string {
  return which === 'list'
    ? "tshark (the packet list) was killed, most likely by the node's memory limit. The download holds the newest packets of the ring."
    : "dumpcap (the ring buffer) was killed, most likely by the node's memory limit. The download holds the packets it had written.";
}
/** A summary line longer than this is not tshark's: dropped. */
const MAX_LINE = 16 * 1024;

const ekSummary = z.looseObject({
  /** -t e: the kernel's capture time, seconds.nanoseconds since the epoch (what finds the packet in the ring). */
  time: z.string().regex(EPOCH),
  source: z.string().default(''),
  destination: z.string().default(''),
  protocol: z.string().default(''),
  length: z.coerce.number().int().default(0),
  info: z.string().default(''),
});

/** A listed packet: its summary columns, and its capture time as tshark printed it (exact, for the ring lookup). */
export interface ListedPacket {
  epoch: string;
  src: string;
  dst: string;
  protocol: string;
  length: number;
  info: string;
}

/** One line of `tshark -t e -P -T ek` output; index lines and anything else give undefined. tshark's own frame
 *  number is not used: it starts again at 1 in each dumpcap | tshark pair of the list. */
export function parseSummaryLine(line: string): ListedPacket | undefined {
  if (!line.startsWith('{"timestamp"') || line.length > MAX_LINE) return undefined;
  try {
    const r = ekSummary.safeParse(JSON.parse(line));
    if (!r.success) return undefined;
    const d = r.data;
    return { epoch: d.time, src: d.source, dst: d.destination, protocol: d.protocol, length: d.length, info: d.info.slice(0, 500) };
  } catch {
    return undefined;
  }
}

type Listener = (e: CaptureEvent) => void;

export class CaptureSession {
  readonly view: CaptureView;
  readonly labId: string;
  readonly rows: PacketRow[] = [];
  /** rows[i]'s capture time as tshark printed it. */
  #epochs: string[] = [];
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
  #ready = new Set<string>();
  /** The first listed packet's time: rows' time counts from it. */
  #firstEpoch: number | undefined;
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

  /** A kept row's capture time and length, which find its packet in the ring (undefined: no longer kept). */
  locate(no: number): { epoch: string; length: number } | undefined {
    const i = no - (this.rows[0]?.no ?? 0);
    const row = this.rows[i];
    const epoch = this.#epochs[i];
    return row && row.no === no && epoch ? { epoch, length: row.length } : undefined;
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
      if (line.startsWith(`${READY_MARKER} `)) {
        // Ready when the ring's dumpcap captures and the list's pacer has found the ring.
        this.#ready.add(line.slice(READY_MARKER.length + 1));
        if (this.view.state === 'starting' && this.#ready.has('ring') && this.#ready.has('list')) this.#set('running');
        continue;
      }
      if (line.startsWith(END_MARKER)) {
        this.#tail = line;
        continue;
      }
      const p = parseSummaryLine(line);
      if (!p) continue;
      const t = Number(p.epoch);
      this.#firstEpoch ??= t;
      // The list's own count: rows' numbers grow across the list's restarts (tshark's restart at 1).
      this.view.seen++;
      const { epoch, ...columns } = p;
      const row: PacketRow = { no: this.view.seen, time: Math.round((t - this.#firstEpoch) * 1e6) / 1e6, ...columns };
      this.rows.push(row);
      this.#epochs.push(epoch);
      if (this.rows.length > MAX_ROWS) {
        this.rows.splice(0, this.rows.length - MAX_ROWS);
        this.#epochs.splice(0, this.#epochs.length - MAX_ROWS);
      }
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
    const m = /^__pw_capture_end (\d+) (ring|list) ?(.*)$/.exec(this.#tail);
    const code = m ? Number(m[1]) : undefined;
    const which = m?.[2] === 'list' ? 'list' : 'ring';
    const tool = which === 'list' ? 'tshark (the packet list)' : 'dumpcap (the ring buffer)';
    // dumpcap and tshark end 0 on SIGINT (130: the list's loop); anything else before we asked them to stop is their
    // own failure (bad interface, no rights, the memory limit).
    if (code === 137 && !this.view.reason) {
      this.view.reason = killedReason(which);
      this.#set('failed');
    } else if (code !== undefined && code !== 0 && code !== 130 && !this.view.reason) {
      this.view.reason = m?.[3]?.trim() || `${tool} ended with code ${code}`;
      this.#set('failed');
    } else {
      this.view.reason ??= m ? `${tool} ended` : 'the capture was stopped';
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
