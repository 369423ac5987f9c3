// Schedules grading rounds for one lab: never two rounds at once (one check per lab at a time), a jittered interval
// between rounds while someone is watching, an immediate round on demand, nothing at all while nobody watches.
// Time comes from an injectable Clock so the schedule is tested without waiting.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1); injectable so jitter is deterministic in tests. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // a pending grading round must never keep a CLI or test process alive
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  random: () => Math.random(),
};

export type RoundTrigger = 'interval' | 'manual';

export interface GradingLoopOptions {
  intervalMs: number;
  /** ±fraction of the interval, so many open lessons do not check in lockstep. Default 0.2. */
  jitter?: number;
  clock?: Clock;
  /** One grading round. Errors are reported to onError and do not stop the loop. */
  round: (trigger: RoundTrigger) => Promise<void>;
  onError?: (err: unknown) => void;
}

export class GradingLoop {
  readonly #opts: Required<Omit<GradingLoopOptions, 'onError'>> & Pick<GradingLoopOptions, 'onError'>;
  #watchers = 0;
  #timer: unknown;
  #running: Promise<void> | undefined;
  /** A manual round requested while another round runs: runs right after it, shared by every caller meanwhile. */
  #queued: { promise: Promise<void>; resolve: () => void } | undefined;
  #closed = false;

  constructor(opts: GradingLoopOptions) {
    this.#opts = { ...opts, jitter: opts.jitter ?? 0.2, clock: opts.clock ?? systemClock };
    if (!(opts.intervalMs > 0)) throw new Error(`grading interval must be positive, got ${opts.intervalMs}`);
  }

  get watching(): boolean {
    return this.#watchers > 0;
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** A page started watching; the first watcher starts the loop with an immediate round. Returns the unwatch function. */
  watch(): () => void {
    if (this.#closed) throw new Error('grading loop is closed');
    this.#watchers++;
    if (this.#watchers === 1 && !this.#running) this.#schedule(0);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#watchers--;
      if (this.#watchers === 0) this.#cancelTimer();
    };
  }

  /** Run a round now (or right after the current one); resolves when that round has finished. */
  checkNow(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#running) {
      if (!this.#queued) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.#queued = { promise, resolve };
      }
      return this.#queued.promise;
    }
    this.#cancelTimer();
    return this.#run('manual');
  }

  /** Stop scheduling; a round in progress finishes. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelTimer();
    await this.#running;
    this.#queued?.resolve();
  }

  #schedule(delay: number): void {
    this.#cancelTimer();
    if (this.#closed || this.#watchers === 0) return;
    this.#timer = this.#opts.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#run('interval');
    }, delay);
  }

  nextDelay(): number {
    const { intervalMs, jitter, clock } = this.#opts;
    return Math.max(0, Math.round(intervalMs * (1 + jitter * (2 * clock.random() - 1))));
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run(trigger: RoundTrigger): Promise<void> {
    const run = (async () => {
      try {
        await this.#opts.round(trigger);
      } catch (err) {
        this.#opts.onError?.(err);
      }
    })();
    this.#running = run;
    return run.then(() => {
      this.#running = undefined;
      const queued = this.#queued;
      if (queued && !this.#closed) {
        this.#queued = undefined;
        void this.#run('manual').then(queued.resolve);
      } else {
        this.#schedule(this.nextDelay());
      }
    });
  }
}
