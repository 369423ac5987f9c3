// How long a wait pauses after its n-th unsuccessful attempt (n counts from 1). Small named policies, so each wait
// says how it backs off in one word instead of a hand-written formula.
export type Backoff = (attempt: number) => number;

/** The same pause every time. */
export const constantBackoff =
  (ms: number): Backoff =>
  () =>
    ms;

/** `stepMs`, then 2 × `stepMs`, 3 × … (kind's image pull: 1 s, 2 s, 3 s, 4 s). */
export const linearBackoff =
  (stepMs: number): Backoff =>
  (attempt) =>
    stepMs * attempt;

/** `initialMs`, doubled (or × `factor`) after every attempt, never more than `maxMs`. */
export const exponentialBackoff =
  ({ initialMs, maxMs, factor = 2 }: { initialMs: number; maxMs: number; factor?: number }): Backoff =>
  (attempt) =>
    Math.min(maxMs, initialMs * factor ** (attempt - 1));

/**
 * The pause of `base` scaled by a random factor in [0.5, 1.5), so that two processes that collided once do not retry
 * in lockstep and collide again. `random` is injectable for tests.
 */
export const jitteredBackoff =
  (base: Backoff, random: () => number = Math.random): Backoff =>
  (attempt) =>
    base(attempt) * (0.5 + random());
