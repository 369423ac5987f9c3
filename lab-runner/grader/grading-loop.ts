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

/** A manual round asked for while another round runs: it runs right after that one, shared by every caller meanwhile. */
interface QueuedRound {
  promise: Promise<void>;
  resolve: () => void;
}

/**
 * Where the loop stands. A timer exists only while idle (and someone watches); a queued manual round only while a
 * round runs. Closing lets a running round finish: `round` is that round, undefined once it is over (or if none ran).
 */
type LoopState =
  | { phase: 'idle'; timer: unknown }
  | { phase: 'running'; round: Promise<void>; queued: QueuedRound | undefined }
  | { phase: 'closed'; round: Promise<void> | undefined; queued: QueuedRound | undefined };

export class GradingLoop {
  readonly #opts: Required<Omit<GradingLoopOptions, 'onError'>> & Pick<GradingLoopOptions, 'onError'>;
  #watchers = 0;
  #state: LoopState = { phase: 'idle', timer: undefined };

  constructor(opts: GradingLoopOptions) {
    this.#opts = { ...opts, jitter: opts.jitter ?? 0.2, clock: opts.clock ?? systemClock };
    if (!(opts.intervalMs > 0)) throw new Error(`grading interval must be positive, got ${opts.intervalMs}`);
  }

  get watching(): boolean {
    return this.#watchers > 0;
  }

  get busy(): boolean {
    return this.#state.phase !== 'idle' && this.#state.round !== undefined;
  }

  /** A page started watching; the first watcher starts the loop with an immediate round. Returns the unwatch function. */
  watch(): () => void {
    if (this.#state.phase === 'closed') throw new Error('grading loop is closed');
    this.#watchers++;
    if (this.#watchers === 1 && this.#state.phase === 'idle') this.#schedule(0);
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
    const state = this.#state;
    if (state.phase === 'closed') return Promise.resolve();
    if (state.phase === 'running') {
      if (!state.queued) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        state.queued = { promise, resolve };
      }
      return state.queued.promise;
    }
    this.#cancelTimer();
    return this.#run('manual');
  }

  /** Stop scheduling; a round in progress finishes. */
  async close(): Promise<void> {
    this.#cancelTimer();
    const state = this.#state;
    const closed: Extract<LoopState, { phase: 'closed' }> =
      state.phase === 'closed'
        ? state
        : state.phase === 'running'
          ? { phase: 'closed', round: state.round, queued: state.queued }
          : { phase: 'closed', round: undefined, queued: undefined };
    this.#state = closed;
    await closed.round;
    closed.queued?.resolve();
  }

  #schedule(delay: number): void {
    this.#cancelTimer();
    if (this.#state.phase !== 'idle' || this.#watchers === 0) return;
    this.#state.timer = this.#opts.clock.setTimeout(() => {
      if (this.#state.phase === 'idle') this.#state.timer = undefined;
      void this.#run('interval');
    }, delay);
  }

  nextDelay(): number {
    const { intervalMs, jitter, clock } = this.#opts;
    return Math.max(0, Math.round(intervalMs * (1 + jitter * (2 * clock.random() - 1))));
  }

  #cancelTimer(): void {
    if (this.#state.phase !== 'idle') return;
    if (this.#state.timer !== undefined) this.#opts.clock.clearTimeout(this.#state.timer);
    this.#state.timer = undefined;
  }

  #run(trigger: RoundTrigger): Promise<void> {
    const round = (async () => {
      try {
        await this.#opts.round(trigger);
      } catch (err) {
        this.#opts.onError?.(err);
      }
    })();
    this.#state = { phase: 'running', round, queued: undefined };
    return round.then(() => {
      const state = this.#state;
      if (state.phase === 'closed') {
        // close() resolves a queued round once it has seen this one finish.
        state.round = undefined;
        return;
      }
      const queued = state.phase === 'running' ? state.queued : undefined;
      this.#state = { phase: 'idle', timer: undefined };
      if (queued) void this.#run('manual').then(queued.resolve);
      else this.#schedule(this.nextDelay());
    });
  }
}
