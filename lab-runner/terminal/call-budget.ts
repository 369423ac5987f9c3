// A bound on Docker calls in flight for terminals, server-wide. Each Docker API call holds a socket (a file
// descriptor) to the engine until it answers; without a bound, a resize flood opened one per message and the
// server ran out of descriptors (20,000) and stopped answering HTTP. Calls beyond the bound wait in a FIFO queue;
// the queue itself is bounded by the callers (one resize in flight per terminal, a capped number of terminals).
export class CallBudget {
  readonly #max: number;
  #running = 0;
  #queue: Array<() => void> = [];
  #peak = 0;

  constructor(maxInFlight: number) {
    this.#max = maxInFlight;
  }

  get inFlight(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Highest number of calls in flight at once since creation (tests, bench). */
  get peak(): number {
    return this.#peak;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    // A finishing call hands its slot straight to the next waiter, so a newcomer can never slip in between.
    if (this.#running >= this.#max) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#running++;
    this.#peak = Math.max(this.#peak, this.#running);
    try {
      return await call();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
