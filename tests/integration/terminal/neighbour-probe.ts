// What a neighbour feels during an attack: keystroke-to-echo latency in a real shell, sampled all along, and the
// attacks themselves (shared by bench/isolation.ts and the fairness tests so the bench measures what tests assert).
import type { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface EchoSamples {
  /** Milliseconds from sending one character to the first byte back, sorted. */
  sorted: number[];
  /** Keystrokes whose echo took longer than the timeout (counted, and recorded as the timeout). */
  timeouts: number;
}

/** Types one character every intervalMs for durationMs and times each echo (bash readline echoes every key). */
export async function probeEcho(
  c: TerminalClient,
  durationMs: number,
  opts: { intervalMs?: number; timeoutMs?: number; stop?: () => boolean } = {},
): Promise<EchoSamples> {
  const interval = opts.intervalMs ?? 20;
  const timeout = opts.timeoutMs ?? 2000;
  const samples: number[] = [];
  let timeouts = 0;
  let typed = 0;
  const end = performance.now() + durationMs;
  while (performance.now() < end && !opts.stop?.()) {
    if (++typed % 60 === 0) {
      c.type('\x15'); // Ctrl-U: the line never wraps
      await sleep(30);
    }
    const before = c.receivedBytes;
    const t0 = performance.now();
    c.type('x');
    const took = await new Promise<number>((resolve) => {
      const check = () => {
        const dt = performance.now() - t0;
        if (c.receivedBytes > before) resolve(dt);
        else if (dt > timeout || c.closeCode !== undefined) resolve(Number.POSITIVE_INFINITY);
        else setImmediate(check);
      };
      check();
    });
    if (took === Number.POSITIVE_INFINITY) {
      timeouts++;
      samples.push(timeout);
      if (c.closeCode !== undefined) break;
    } else samples.push(took);
    await sleep(interval);
  }
  c.type('\x15');
  return { sorted: samples.sort((a, b) => a - b), timeouts };
}

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export interface ResizeFloodResult {
  messages: number;
  connections: number;
  /** Close codes the attacker's sockets saw (4429: over budget). */
  closes: Record<number, number>;
  /** Sockets still open when `until` said stop (at most the last one). */
  openAtStop: number;
  /** Upgrades refused (429/503) while reconnecting. */
  refusals: number;
}

/**
 * A determined attacker: sends resize messages at `perSecond` from one terminal, and whenever the server closes
 * that socket, comes straight back with a fresh ticket and carries on, until `until()` says stop.
 */
export async function resizeFlood(connect: () => Promise<TerminalClient>, perSecond: number, until: () => boolean): Promise<ResizeFloodResult> {
  const r: ResizeFloodResult = { messages: 0, connections: 0, closes: {}, openAtStop: 0, refusals: 0 };
  const batch = Math.max(1, Math.round(perSecond / 100)); // one batch every 10 ms
  while (!until()) {
    let c: TerminalClient;
    try {
      c = await connect();
      r.connections++;
    } catch {
      r.refusals++;
      await sleep(250);
      continue;
    }
    let i = 0;
    while (!until() && c.closeCode === undefined) {
      for (let k = 0; k < batch && c.ws.readyState === c.ws.OPEN; k++) {
        c.resize(40 + (i % 160), 10 + (i % 60));
        i++;
        r.messages++;
      }
      await sleep(10);
    }
    if (c.closeCode !== undefined) r.closes[c.closeCode] = (r.closes[c.closeCode] ?? 0) + 1;
    else r.openAtStop++;
    c.dispose();
  }
  return r;
}
