// The verdicts of one grading round, keyed by what was checked (a task's check, or one invariant of a task) rather
// than by strings built at each use. The batch runners speak plain string keys; keyOf makes them, and only here.
import type { Verdict } from './verdict.ts';

/** What a batch item checks. */
export type CheckedItem = { kind: 'check'; taskId: string } | { kind: 'invariant'; taskId: string; invariantId: string };

/** The batch key of an item: unique within a round, stable for the same item. */
export function keyOf(item: CheckedItem): string {
  return item.kind === 'check' ? `check:${item.taskId}` : `inv:${item.taskId}:${item.invariantId}`;
}

export class RoundVerdicts {
  readonly #checks = new Map<string, Verdict>();
  /** taskId -> invariantId -> verdict. */
  readonly #invariants = new Map<string, Map<string, Verdict>>();

  /** Takes a batch's answers for the items it was given (keys made by keyOf). */
  add(items: readonly CheckedItem[], batch: ReadonlyMap<string, Verdict>): void {
    for (const item of items) {
      const verdict = batch.get(keyOf(item));
      if (!verdict) continue;
      if (item.kind === 'check') this.#checks.set(item.taskId, verdict);
      else this.#setInvariant(item.taskId, item.invariantId, verdict);
    }
  }

  /** Adds (overwriting) every verdict of another set. */
  merge(other: RoundVerdicts): void {
    for (const [taskId, v] of other.#checks) this.#checks.set(taskId, v);
    for (const [taskId, byInvariant] of other.#invariants) for (const [id, v] of byInvariant) this.#setInvariant(taskId, id, v);
  }

  check(taskId: string): Verdict | undefined {
    return this.#checks.get(taskId);
  }

  invariant(taskId: string, invariantId: string): Verdict | undefined {
    return this.#invariants.get(taskId)?.get(invariantId);
  }

  #setInvariant(taskId: string, invariantId: string, verdict: Verdict): void {
    const byInvariant = this.#invariants.get(taskId) ?? new Map<string, Verdict>();
    byInvariant.set(invariantId, verdict);
    this.#invariants.set(taskId, byInvariant);
  }
}
