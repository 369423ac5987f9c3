// Work that needs the lab: a file to open, a manifest to apply, the document to bring back in front after a reload.
// Each runs at once when the lab is ready, else waits until it is; waiting work runs in the order it was asked for,
// one piece at a time (a restored file opens before the document that was in front is shown again).
// No React here: use-lab-ready.ts holds one per editor and tells it when the lab changes.

export type ReadyTask<T> = (value: T) => unknown;

interface Waiting<T> {
  task: ReadyTask<T>;
  /** Work with a key replaces waiting work with the same key (the learner's latest Apply is the one that runs). */
  key?: string;
  settle(err?: unknown): void;
}

export class ReadyQueue<T> {
  #value: T | undefined;
  #waiting: Waiting<T>[] = [];
  #running = false;

  /** The ready value (the lab id), or undefined while there is none. */
  get current(): T | undefined {
    return this.#value;
  }

  /** How many pieces of work are waiting. */
  get size(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` with the ready value, now or once there is one. Resolves when it has run (rejects with its error),
   * or when keyed work replaced it before it ran.
   */
  whenReady(task: ReadyTask<T>, options: { key?: string } = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (options.key !== undefined) {
        for (const replaced of this.#waiting.filter((w) => w.key === options.key)) replaced.settle();
        this.#waiting = this.#waiting.filter((w) => w.key !== options.key);
      }
      this.#waiting.push({ task, key: options.key, settle: (err) => (err === undefined ? resolve() : reject(err)) });
      void this.#drain();
    });
  }

  /** The lab is ready (its id), changed, or gone (undefined: work keeps waiting). */
  set(value: T | undefined): void {
    this.#value = value;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      // The value is read before each piece: work left when the lab goes waits for the next one.
      while (this.#value !== undefined) {
        const value = this.#value;
        const next = this.#waiting.shift();
        if (!next) break;
        try {
          await next.task(value);
          next.settle();
        } catch (err) {
          next.settle(err ?? new Error('ready-queue task failed'));
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
