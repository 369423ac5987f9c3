// A provisioning recipe as a table: each row names a step, gives its progress text and, where it has one, the time
// budget of its long wait, and points at a small function. Rows run in order; what a step returns is added to the
// context the later steps read, and the types follow along (a step can only ask for what an earlier one produced).
// The runner does what every step needs the same way: progress "label… n/total", a stop when the lab is destroyed
// meanwhile, the step's duration, and errors that name the step.
import { ProvisionError } from '../errors.ts';
import type { ProvisionProgress } from '../lab/lab.ts';

/** One row. With `timeoutMs`, the step's function gets the budget as its second argument. */
export type StepRow<Id extends string, Ctx, Out> = {
  id: Id;
  /** Progress text (without the ellipsis). */
  label: string;
  /** Progress text for this run when it differs (a step that has nothing to do says so). */
  labelFor?: (c: Ctx) => string | undefined;
} & ({ timeoutMs?: undefined; run: (c: Ctx) => Promise<Out> } | { timeoutMs: (c: Ctx) => number; run: (c: Ctx, timeoutMs: number) => Promise<Out> });

/** A step that returns nothing adds nothing to the context. */
type Added<Out> = Out extends object ? Out : unknown;

export interface StepHooks<Id extends string> {
  onProgress?: (p: ProvisionProgress) => void;
  /** Aborted: no further step starts (the error names the step that would have). */
  signal?: AbortSignal;
  /** Filled with ms per step as they finish (also when a step fails). */
  timings: Partial<Record<Id, number>>;
  /** Errors that already say what went wrong and pass unchanged; any other becomes a ProvisionError naming the step. */
  passThrough: (e: unknown) => boolean;
}

// The table stores rows whose context types differ; it checks them as it is built, then runs them untyped.
type AnyRow<Id extends string> = StepRow<Id, never, unknown>;

/**
 * `Done` tracks the ids that have a row: a row cannot repeat an id, and only a table with a row for every id runs
 * (a step missing from the table fails typecheck).
 */
export class StepTable<Id extends string, Start, Ctx, Done extends Id = never> {
  readonly rows: readonly AnyRow<Id>[];
  private constructor(rows: readonly AnyRow<Id>[]) {
    this.rows = rows;
  }

  static begin<Id extends string, Start>(): StepTable<Id, Start, Start> {
    return new StepTable<Id, Start, Start>([]);
  }

  step<I extends Exclude<Id, Done>, Out>(row: StepRow<I, Ctx, Out>): StepTable<Id, Start, Ctx & Added<Out>, Done | I> {
    return new StepTable<Id, Start, Ctx & Added<Out>, Done | I>([...this.rows, row as unknown as AnyRow<Id>]);
  }

  get ids(): Id[] {
    return this.rows.map((r) => r.id);
  }

  async run(this: StepTable<Id, Start, Ctx, Id>, start: Start, hooks: StepHooks<Id>): Promise<Ctx> {
    let ctx = { ...start } as Record<string, unknown>;
    for (const [index, row] of this.rows.entries()) {
      const r = row as unknown as StepRow<Id, Record<string, unknown>, unknown>;
      if (hooks.signal?.aborted) throw new ProvisionError(r.id, 'the lab was destroyed while it was being created');
      hooks.onProgress?.({ step: index + 1, totalSteps: this.rows.length, label: `${r.labelFor?.(ctx) ?? r.label}…` });
      const t0 = performance.now();
      try {
        const out = await (r.timeoutMs ? r.run(ctx, r.timeoutMs(ctx)) : r.run(ctx));
        if (out && typeof out === 'object') ctx = { ...ctx, ...out };
      } catch (e) {
        if (hooks.passThrough(e)) throw e;
        throw new ProvisionError(r.id, (e as Error).message, undefined, e);
      } finally {
        hooks.timings[r.id] = Math.round(performance.now() - t0);
      }
    }
    return ctx as Ctx;
  }
}
