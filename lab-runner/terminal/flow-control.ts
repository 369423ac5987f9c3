// Back-pressure for one terminal's output. The session pauses the exec stream (so the PTY fills and the
// program blocks in write()) while any pressure is above its high watermark, and resumes once all are
// below their low watermarks. Hysteresis avoids flapping at a rate of one pause per chunk.

export interface FlowLimits {
  /** The browser acks after rendering this many bytes. */
  ackEveryBytes: number;
  /** Bytes sent but not yet acked by the browser. */
  unackedHigh: number;
  unackedLow: number;
  /** ws.bufferedAmount: bytes queued in the socket because the network is slower than the PTY. */
  bufferedHigh: number;
  bufferedLow: number;
  /** Bytes the screen mirror has not parsed yet. */
  mirrorHigh: number;
  mirrorLow: number;
  /** Output accepted while no browser is attached; then the program blocks until someone reconnects. */
  detachedBudget: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  ackEveryBytes: 256 * 1024,
  unackedHigh: 2 * 1024 * 1024,
  unackedLow: 512 * 1024,
  bufferedHigh: 1024 * 1024,
  bufferedLow: 256 * 1024,
  mirrorHigh: 2 * 1024 * 1024,
  mirrorLow: 512 * 1024,
  detachedBudget: 4 * 1024 * 1024,
};

export interface FlowPressure {
  unacked: number;
  buffered: number;
  mirror: number;
  /** Bytes produced since the browser detached; undefined while attached. */
  detachedBytes: number | undefined;
  /** Set while (re)attaching: output must wait until the replay has been sent. */
  holding: boolean;
}

export type FlowDecision = 'pause' | 'resume' | 'keep';

export class FlowGate {
  readonly limits: FlowLimits;
  #paused = false;
  pauses = 0;

  constructor(limits: FlowLimits = DEFAULT_FLOW_LIMITS) {
    this.limits = limits;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** What to do with the stream given the current pressure. */
  decide(p: FlowPressure): FlowDecision {
    const l = this.limits;
    const detachedFull = p.detachedBytes !== undefined && p.detachedBytes >= l.detachedBudget;
    if (!this.#paused) {
      if (p.holding || detachedFull || p.unacked > l.unackedHigh || p.buffered > l.bufferedHigh || p.mirror > l.mirrorHigh) {
        this.#paused = true;
        this.pauses++;
        return 'pause';
      }
      return 'keep';
    }
    if (!p.holding && !detachedFull && p.unacked <= l.unackedLow && p.buffered <= l.bufferedLow && p.mirror <= l.mirrorLow) {
      this.#paused = false;
      return 'resume';
    }
    return 'keep';
  }
}
