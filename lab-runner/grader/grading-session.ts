// Grading of one lesson's challenge in one lab: owns the state machine, the loop and the listeners (open pages).
// Passes and regressions are written to the progress store as they happen, so a reload or a restart resumes them.
import { createLogger } from '../../lib/log.ts';
import type { ProgressStore } from '../store/progress-store.ts';
import type { Challenge, Task } from '../../course/challenge/challenge-schema.ts';
import { runBatch } from './check-batch.ts';
import type { BatchItem } from './check-batch.ts';
import type { LabExec } from './check-runner.ts';
import { GradingLoop } from './grading-loop.ts';
import type { Clock, RoundTrigger } from './grading-loop.ts';
import { applyCheck, applyInvariants, initialState, markChecking, planRound } from './grading-state.ts';
import type { GradingState, InvariantResult, Transition } from './grading-state.ts';
import type { Verdict } from './verdict.ts';
import { keyOf, RoundVerdicts } from './round-verdicts.ts';
import type { CheckedItem } from './round-verdicts.ts';

const log = createLogger('grader');

export interface SessionKey {
  labId: string;
  lesson: string;
  learnerId: string;
}

export interface GradingSessionOptions extends SessionKey {
  challenge: Challenge;
  exec: LabExec;
  /**
   * Runs one target's share of a round (every item gets a verdict). Default: runBatch over `exec`, one exec per target
   * and round; the grader passes its check channels (check-channel.ts), which need no exec per round.
   */
  runChecks?: (labId: string, target: string, items: BatchItem[]) => Promise<Map<string, Verdict>>;
  progress: ProgressStore;
  intervalMs: number;
  clock: Clock;
  /** Called before each background round: false skips it (e.g. the lab is paused; checking would wake it up). */
  shouldCheck?: () => Promise<boolean>;
  /** Resolves once the lab's setup has run; no check runs before that. */
  ready: Promise<void>;
}

export type SessionListener = (state: GradingState, meta: { busy: boolean; trigger?: RoundTrigger }) => void;

/**
 * The grading state is restored from the progress store on first use. Until then there is none: `restoring` is the one
 * read of the store that every first caller shares (a failed read stays failed, as the store's error).
 */
type Grading = { phase: 'unrestored'; restoring: Promise<void> | undefined } | { phase: 'restored'; state: GradingState };

export class GradingSession {
  readonly key: SessionKey;
  readonly challenge: Challenge;
  #grading: Grading = { phase: 'unrestored', restoring: undefined };
  readonly #opts: GradingSessionOptions;
  readonly #loop: GradingLoop;
  readonly #listeners = new Set<SessionListener>();
  #trigger: RoundTrigger | undefined;

  constructor(opts: GradingSessionOptions) {
    this.#opts = opts;
    this.key = { labId: opts.labId, lesson: opts.lesson, learnerId: opts.learnerId };
    this.challenge = opts.challenge;
    this.#loop = new GradingLoop({
      intervalMs: opts.intervalMs,
      clock: opts.clock,
      round: (trigger) => this.#round(trigger),
      onError: (err) => log.warn('grading round failed', { lab: opts.labId, lesson: opts.lesson, error: err instanceof Error ? err.message : String(err) }),
    });
  }

  /** The current state, restored from the progress store on first use. */
  async state(): Promise<GradingState> {
    await this.#restore();
    return this.#state;
  }

  get busy(): boolean {
    return this.#loop.busy;
  }

  get watching(): boolean {
    return this.#loop.watching;
  }

  /** Start receiving state changes and keep the background loop running while at least one listener is attached. */
  watch(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    const unwatch = this.#loop.watch();
    return () => {
      this.#listeners.delete(listener);
      unwatch();
    };
  }

  /** A "Check" click: grade now (or right after the running round) and resolve with the result. */
  async checkNow(): Promise<GradingState> {
    await this.#loop.checkNow();
    return this.state();
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#loop.close();
  }

  #restore(): Promise<void> {
    const grading = this.#grading;
    if (grading.phase === 'restored') return Promise.resolve();
    grading.restoring ??= (async () => {
      const { learnerId, lesson, labId } = this.key;
      const passes = await this.#opts.progress.passedInLab(learnerId, lesson, labId);
      // Only tasks the challenge still has: an edited challenge may have dropped some.
      const known = new Map([...passes].filter(([id]) => this.challenge.tasks.some((t) => t.id === id)));
      this.#grading = { phase: 'restored', state: initialState(this.challenge, known) };
    })();
    return grading.restoring;
  }

  /** The grading state; only after #restore() (rounds and state() await it first). */
  get #state(): GradingState {
    if (this.#grading.phase !== 'restored') throw new Error('grading state read before it was restored');
    return this.#grading.state;
  }

  /** Rounds write it, after #restore(). */
  set #state(state: GradingState) {
    this.#grading = { phase: 'restored', state };
  }

  #emit(): void {
    const state = this.#state;
    for (const l of this.#listeners) {
      try {
        l(state, { busy: this.#loop.busy, trigger: this.#trigger });
      } catch (err) {
        log.warn('grading listener threw', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async #round(trigger: RoundTrigger): Promise<void> {
    try {
      await this.#opts.ready;
    } catch {
      return; // setup failed: the view says so once; checking a half-prepared lab would only grade nonsense
    }
    await this.#restore();
    if (trigger === 'interval' && this.#opts.shouldCheck && !(await this.#opts.shouldCheck())) return;
    this.#trigger = trigger;
    try {
      const now = () => this.#opts.clock.now();
      // Each pass batches everything checkable now: one batch per target (see check-batch.ts). A task that passes
      // unblocks its dependants, which get a second pass in the same round.
      const done = new Set<string>();
      for (;;) {
        const items = planRound(this.challenge, this.#state).filter((w) => !done.has(w.taskId));
        if (items.length === 0) break;
        for (const w of items) {
          done.add(w.taskId);
          if (w.kind === 'check') this.#state = markChecking(this.#state, w.taskId);
        }
        if (items.some((w) => w.kind === 'check')) this.#emit();
        const work = items.map((w) => ({ ...w, task: this.challenge.tasks.find((t) => t.id === w.taskId)! }));
        // Checks first; invariants only where they matter (passed tasks, and checks that just passed). Invariants of
        // a failing check are never needed, and while a learner works most checks fail.
        const verdicts = await this.#runItems(work.map((w) => ({ task: w.task, check: w.kind === 'check', invariants: w.kind === 'invariants' })));
        const justPassed = work.filter((w) => w.kind === 'check' && w.task.invariants.length > 0 && verdicts.check(w.task.id)?.outcome === 'passed');
        if (justPassed.length > 0) verdicts.merge(await this.#runItems(justPassed.map((w) => ({ task: w.task, check: false, invariants: true }))));
        for (const w of items) {
          const task = this.challenge.tasks.find((t) => t.id === w.taskId)!;
          const invariants: InvariantResult[] = task.invariants.flatMap((inv) => {
            const verdict = verdicts.invariant(task.id, inv.id);
            return verdict ? [{ id: inv.id, title: inv.title, verdict }] : [];
          });
          const r =
            w.kind === 'check'
              ? (() => {
                  const check = verdicts.check(task.id)!;
                  return applyCheck(this.challenge, this.#state, task.id, check, check.outcome === 'passed' ? invariants : [], now());
                })()
              : applyInvariants(this.challenge, this.#state, task.id, invariants, now());
          this.#state = r.state;
          await this.#persist(r.transitions);
        }
        this.#emit();
      }
      if (done.size === 0) {
        // Nothing to check (all passed, no invariants): still tell pages when we last looked.
        this.#state = { ...this.#state, lastCheckedAt: now() };
        this.#emit();
      }
    } finally {
      this.#trigger = undefined;
    }
  }

  /** Checks (and invariants) of these work items, batched per target, targets one after the other. */
  async #runItems(items: { task: Task; check: boolean; invariants: boolean }[]): Promise<RoundVerdicts> {
    const byTarget = new Map<string, { checked: CheckedItem[]; batch: BatchItem[] }>();
    const add = (target: string, checked: CheckedItem, item: Omit<BatchItem, 'key'>) => {
      const list = byTarget.get(target) ?? { checked: [], batch: [] };
      list.checked.push(checked);
      list.batch.push({ key: keyOf(checked), ...item });
      byTarget.set(target, list);
    };
    for (const { task, check, invariants } of items) {
      const env = { PW_TASK_ID: task.id };
      if (check) add(task.target, { kind: 'check', taskId: task.id }, { script: task.check, timeoutMs: task.timeout, env });
      if (invariants)
        for (const inv of task.invariants)
          add(
            inv.target ?? task.target,
            { kind: 'invariant', taskId: task.id, invariantId: inv.id },
            { script: inv.check, timeoutMs: inv.timeout ?? task.timeout, env },
          );
    }
    const verdicts = new RoundVerdicts();
    const run = this.#opts.runChecks ?? ((labId: string, target: string, batch: BatchItem[]) => runBatch(this.#opts.exec, labId, target, batch));
    for (const [target, { checked, batch }] of byTarget) verdicts.add(checked, await run(this.key.labId, target, batch));
    return verdicts;
  }

  async #persist(transitions: Transition[]): Promise<void> {
    const { learnerId, lesson, labId } = this.key;
    for (const t of transitions) {
      if (t.type === 'passed') await this.#opts.progress.recordTaskPassed({ learnerId, lesson, labId, taskId: t.taskId, at: t.at });
      else await this.#opts.progress.recordTaskRegressed({ learnerId, lesson, labId, taskId: t.taskId, at: t.at });
      log.info(t.type === 'passed' ? 'task passed' : 'task regressed', { lab: labId, lesson, task: t.taskId });
    }
    if (transitions.length > 0 && this.#state.completedAt !== undefined) {
      await this.#opts.progress.recordLessonCompleted({ learnerId, lesson, labId, at: this.#state.completedAt });
    }
  }
}
