// A clock for tests of waits: time moves only when a pause is taken (at once, by its length) or a test calls
// advance(); every pause is recorded. With `holdPauses`, a pause stays pending until aborted, to test aborts mid-pause.
import type { Clock } from '../../../lab-runner/util/clock.ts';

export class FakeClock implements Clock {
  #now = 0;
  readonly pauses: number[] = [];
  readonly holdPauses: boolean;
  constructor(o: { holdPauses?: boolean } = {}) {
    this.holdPauses = o.holdPauses ?? false;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.pauses.push(ms);
    if (!this.holdPauses) {
      this.#now += ms;
      return Promise.resolve();
    }
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }
}
