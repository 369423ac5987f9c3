// A small fixed-window counter per key (client address): enough to blunt a client that hammers the upgrade path.
export class RateLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #hits = new Map<string, { start: number; count: number }>();

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  allow(key: string, now = Date.now()): boolean {
    const entry = this.#hits.get(key);
    if (!entry || now - entry.start >= this.#windowMs) {
      if (this.#hits.size > 10_000) this.#sweep(now);
      this.#hits.set(key, { start: now, count: 1 });
      return true;
    }
    entry.count++;
    return entry.count <= this.#max;
  }

  #sweep(now: number): void {
    for (const [k, v] of this.#hits) if (now - v.start >= this.#windowMs) this.#hits.delete(k);
  }
}
