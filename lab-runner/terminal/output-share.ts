// A fair share of the machine for terminal output. A terminal that floods (base64 /dev/urandom, yes) pushes tens of
// MB/s through dockerd, the shim and this process, on the same cores that carry every other learner's keystroke
// echo. While somebody else is typing, each flooding terminal gets at most `floodRate` bytes a second; its exec
// stream is paused meanwhile, so the PTY fills and the program blocks in write() (no output is dropped). A terminal
// alone on the server (or whose own learner is the only one typing) is never throttled: one learner's `cat bigfile`
// still runs at full speed.

export interface OutputShareOptions {
  /** Bytes per second a terminal may output while another terminal is interactive. */
  floodRate: number;
  /** Burst allowance on top of the rate (bytes). */
  burst: number;
  /** A terminal counts as interactive for this long after its last keystroke. */
  interactiveMs: number;
  now?: () => number;
}

export const DEFAULT_OUTPUT_SHARE: OutputShareOptions = { floodRate: 1024 * 1024, burst: 256 * 1024, interactiveMs: 2000 };

export class OutputShare {
  readonly #o: Required<OutputShareOptions>;
  /** Session id → time of its last keystroke. */
  readonly #typedAt = new Map<string, number>();

  constructor(options: Partial<OutputShareOptions> = {}) {
    this.#o = { ...DEFAULT_OUTPUT_SHARE, now: () => performance.now(), ...options };
  }

  get options(): Readonly<OutputShareOptions> {
    return this.#o;
  }

  typed(sessionId: string): void {
    this.#typedAt.set(sessionId, this.#o.now());
  }

  forget(sessionId: string): void {
    this.#typedAt.delete(sessionId);
  }

  /** Whether a terminal other than `sessionId` had a keystroke recently. */
  othersInteractive(sessionId: string): boolean {
    const since = this.#o.now() - this.#o.interactiveMs;
    for (const [id, at] of this.#typedAt) {
      if (at < since) this.#typedAt.delete(id);
      else if (id !== sessionId) return true;
    }
    return false;
  }

  /** One terminal's meter: how long its stream must wait after this chunk (0: no wait). */
  meter(sessionId: string): OutputMeter {
    return new OutputMeter(this, sessionId, this.#o);
  }
}

export class OutputMeter {
  readonly #share: OutputShare;
  readonly #id: string;
  readonly #o: Required<OutputShareOptions>;
  #tokens: number;
  #at: number;
  throttles = 0;

  constructor(share: OutputShare, id: string, o: Required<OutputShareOptions>) {
    this.#share = share;
    this.#id = id;
    this.#o = o;
    this.#tokens = o.burst;
    this.#at = o.now();
  }

  /** Records `bytes` of output; returns the milliseconds the stream should stay paused (0 when within its share). */
  spend(bytes: number): number {
    const now = this.#o.now();
    this.#tokens = Math.min(this.#o.burst, this.#tokens + ((now - this.#at) * this.#o.floodRate) / 1000);
    this.#at = now;
    if (!this.#share.othersInteractive(this.#id)) {
      // Alone (or only this learner typing): no limit, and the bucket stays full for when a neighbour arrives.
      this.#tokens = this.#o.burst;
      return 0;
    }
    this.#tokens -= bytes;
    if (this.#tokens >= 0) return 0;
    this.throttles++;
    return Math.ceil((-this.#tokens * 1000) / this.#o.floodRate);
  }
}
