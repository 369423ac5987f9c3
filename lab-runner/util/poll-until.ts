// The one way the engine waits for something outside it (a node's readiness marker, kubectl's node list, an exec's
// exit code, a retried Docker or host-agent call): ask, and if the answer is "not yet", pause by a backoff policy and
// ask again, until a deadline or an attempt limit. The probe decides what counts as done, what is worth retrying
// (return notYet) and what is fatal (throw: the wait ends with that error at once).
import { PollTimeoutError, type PollGiveUp } from '../errors.ts';
import type { Backoff } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';

/** One probe's answer: done with a value, or not yet (with what it saw, shown when the wait gives up). */
export type PollAttempt<T> = { done: true; value: T } | { done: false; detail?: string; cause?: unknown };

export const done = <T>(value: T): PollAttempt<T> => ({ done: true, value });
export const notYet = (detail?: string, cause?: unknown): PollAttempt<never> => ({ done: false, detail, cause });

export interface PollContext {
  /** 1 for the first probe. */
  attempt: number;
  /** Milliseconds since the wait began, read when called (a probe may itself take a while). */
  elapsedMs: () => number;
}

interface PollCommon {
  /** What is awaited, for the default error: "node pw-x-node1 to become ready". */
  what: string;
  backoff: Backoff;
  clock?: Clock;
  /** Ends the wait (before the next probe, or during a pause) with the signal's reason. */
  signal?: AbortSignal;
  /** The error to throw when the wait gives up; PollTimeoutError when absent. */
  giveUp?: (outcome: PollGiveUp) => Error;
}

/**
 * A wait is bounded by a deadline, an attempt limit, or both. No probe starts once the deadline has passed; a probe
 * that is running then is not cut short (give it its own timeout), and a pause is not shortened to fit.
 */
export type PollOptions = PollCommon & ({ timeoutMs: number; maxAttempts?: number } | { timeoutMs?: number; maxAttempts: number });

/** Probes until done and returns its value; throws the probe's own error, the abort reason, or the give-up error. */
export async function pollUntil<T>(probe: (ctx: PollContext) => Promise<PollAttempt<T>>, o: PollOptions): Promise<T> {
  const clock = o.clock ?? systemClock;
  const start = clock.now();
  const elapsedMs = () => clock.now() - start;
  let last: { detail?: string; cause?: unknown } = {};
  for (let attempt = 1; ; attempt++) {
    if (o.timeoutMs !== undefined && elapsedMs() >= o.timeoutMs)
      throw giveUp(o, { reason: 'deadline', attempts: attempt - 1, elapsedMs: elapsedMs(), ...last });
    o.signal?.throwIfAborted();
    const answer = await probe({ attempt, elapsedMs });
    if (answer.done) return answer.value;
    last = { detail: answer.detail, cause: answer.cause };
    if (o.maxAttempts !== undefined && attempt >= o.maxAttempts) throw giveUp(o, { reason: 'attempts', attempts: attempt, elapsedMs: elapsedMs(), ...last });
    await clock.sleep(o.backoff(attempt), o.signal);
  }
}

function giveUp(o: PollOptions, outcome: Omit<PollGiveUp, 'what'>): Error {
  const full: PollGiveUp = { what: o.what, ...outcome };
  return o.giveUp ? o.giveUp(full) : new PollTimeoutError(full);
}
