// The grading state machine, pure: no I/O, no clock. Rules:
// - a task is blocked until every task in its `needs` has passed; blocked tasks are not checked;
// - a task passes when its check passes AND all its invariants hold;
// - a passed task stays passed (edge-triggered: its check is not re-run), unless one of its invariants later fails,
//   which un-passes it ("fix by deletion" fails); then it is graded from scratch again;
// - a check that could not run (outcome "error") never changes pass/fail: the lab, not the learner, is at fault.
import type { Challenge, Task } from '../../course/challenge/challenge-schema.ts';
import type { Verdict } from './verdict.ts';
import type { TaskCount, TaskStatus } from '../wire/challenge.ts';

export interface TaskState {
  id: string;
  /** The last real status: "checking" is derived (see viewStatus). */
  status: Exclude<TaskStatus, 'checking'>;
  /** A check of this task is running now. */
  checking?: boolean;
  /** The verdict shown for the task (for a passed task: undefined; for an un-passed one: the broken invariant's). */
  verdict?: Verdict;
  /** Epoch ms of the (latest) pass. */
  passedAt?: number;
  lastCheckedAt?: number;
  /** Title of the invariant that un-passed the task, while it is un-passed. */
  brokenInvariant?: string;
}

export interface GradingState {
  /** In challenge order. */
  tasks: TaskState[];
  lastCheckedAt?: number;
  /** Set when every task is passed at once; cleared if one un-passes. */
  completedAt?: number;
}

/** One unit of work in a round. */
export type WorkItem = { kind: 'check'; taskId: string } | { kind: 'invariants'; taskId: string };

export interface InvariantResult {
  id: string;
  title: string;
  verdict: Verdict;
}

/** What changed when a result was applied, so the caller can persist it. */
export type Transition = { type: 'passed'; taskId: string; at: number } | { type: 'regressed'; taskId: string; at: number; invariant: string };

export function initialState(challenge: Challenge, restoredPasses: ReadonlyMap<string, number> = new Map()): GradingState {
  const state: GradingState = {
    tasks: challenge.tasks.map((t) => {
      const passedAt = restoredPasses.get(t.id);
      return passedAt !== undefined ? { id: t.id, status: 'passed', passedAt } : { id: t.id, status: 'pending' };
    }),
  };
  return withBlocking(challenge, withCompletion(state, undefined));
}

export function taskState(state: GradingState, taskId: string): TaskState {
  const t = state.tasks.find((x) => x.id === taskId);
  if (!t) throw new Error(`unknown task ${taskId}`);
  return t;
}

export function unmetNeeds(challenge: Challenge, state: GradingState, taskId: string): string[] {
  const task = findTask(challenge, taskId);
  return task.needs.filter((n) => taskState(state, n).status !== 'passed');
}

/** What a round checks, in challenge order: unblocked unpassed tasks, and the invariants of passed tasks. */
export function planRound(challenge: Challenge, state: GradingState): WorkItem[] {
  const items: WorkItem[] = [];
  for (const task of challenge.tasks) {
    const s = taskState(state, task.id);
    if (s.status === 'passed') {
      if (task.invariants.length > 0) items.push({ kind: 'invariants', taskId: task.id });
    } else if (unmetNeeds(challenge, state, task.id).length === 0) {
      items.push({ kind: 'check', taskId: task.id });
    }
  }
  return items;
}

export function markChecking(state: GradingState, taskId: string): GradingState {
  return update(state, taskId, (t) => (t.status === 'passed' || t.status === 'blocked' ? t : { ...t, checking: true }));
}

/** The status to display: a running check shows as "checking" on a task that has not passed. */
export function viewStatus(t: TaskState): TaskStatus {
  return t.checking && t.status !== 'passed' && t.status !== 'blocked' ? 'checking' : t.status;
}

/**
 * Apply the result of a "check" work item. `invariants` are the task's invariants evaluated in the same pass
 * (empty when the check failed: there is no point running them then).
 */
export function applyCheck(
  challenge: Challenge,
  state: GradingState,
  taskId: string,
  check: Verdict,
  invariants: InvariantResult[],
  now: number,
): { state: GradingState; transitions: Transition[] } {
  const current = taskState(state, taskId);
  if (current.status === 'passed') return { state, transitions: [] }; // edge-triggered: a late result never un-passes
  let next: TaskState;
  const transitions: Transition[] = [];
  const brokenInvariant = invariants.find((i) => isFailure(i.verdict));
  if (check.outcome === 'error') {
    next = { id: taskId, status: current.status, verdict: check, lastCheckedAt: now };
  } else if (check.outcome !== 'passed') {
    next = { id: taskId, status: 'failed', verdict: check, lastCheckedAt: now };
  } else if (brokenInvariant) {
    next = { id: taskId, status: 'failed', verdict: invariantVerdict(brokenInvariant), lastCheckedAt: now, brokenInvariant: brokenInvariant.title };
  } else if (invariants.some((i) => i.verdict.outcome === 'error')) {
    const errored = invariants.find((i) => i.verdict.outcome === 'error')!;
    next = { id: taskId, status: current.status, verdict: errored.verdict, lastCheckedAt: now };
  } else {
    next = { id: taskId, status: 'passed', passedAt: now, lastCheckedAt: now };
    transitions.push({ type: 'passed', taskId, at: now });
  }
  const s = finish(
    challenge,
    update(state, taskId, () => next),
    now,
  );
  return { state: s, transitions };
}

/** Apply an "invariants" work item for a passed task: any real failure un-passes it. */
export function applyInvariants(
  challenge: Challenge,
  state: GradingState,
  taskId: string,
  invariants: InvariantResult[],
  now: number,
): { state: GradingState; transitions: Transition[] } {
  const current = taskState(state, taskId);
  if (current.status !== 'passed') return { state, transitions: [] };
  const broken = invariants.find((i) => isFailure(i.verdict));
  if (!broken)
    return {
      state: finish(
        challenge,
        update(state, taskId, (t) => ({ ...t, lastCheckedAt: now })),
        now,
      ),
      transitions: [],
    };
  const next: TaskState = { id: taskId, status: 'failed', verdict: invariantVerdict(broken), lastCheckedAt: now, brokenInvariant: broken.title };
  return {
    state: finish(
      challenge,
      update(state, taskId, () => next),
      now,
    ),
    transitions: [{ type: 'regressed', taskId, at: now, invariant: broken.id }],
  };
}

export function progressOf(state: GradingState): TaskCount {
  return { passed: state.tasks.filter((t) => t.status === 'passed').length, total: state.tasks.length };
}

function finish(challenge: Challenge, state: GradingState, now: number): GradingState {
  return withBlocking(challenge, withCompletion({ ...state, lastCheckedAt: now }, now));
}

function withCompletion(state: GradingState, now: number | undefined): GradingState {
  const all = state.tasks.every((t) => t.status === 'passed');
  if (!all) return state.completedAt === undefined ? state : { ...state, completedAt: undefined };
  if (state.completedAt !== undefined) return state;
  // Restored from the store: completed when the last task passed.
  return { ...state, completedAt: now ?? Math.max(...state.tasks.map((t) => t.passedAt ?? 0)) };
}

/** Blocked is derived: recompute it for every unpassed task after each change. */
function withBlocking(challenge: Challenge, state: GradingState): GradingState {
  const passed = new Set(state.tasks.filter((t) => t.status === 'passed').map((t) => t.id));
  const tasks = state.tasks.map((t): TaskState => {
    if (t.status === 'passed') return t;
    const blocked = findTask(challenge, t.id).needs.some((n) => !passed.has(n));
    if (blocked) return { id: t.id, status: 'blocked', lastCheckedAt: t.lastCheckedAt };
    return t.status === 'blocked' ? { id: t.id, status: 'pending', lastCheckedAt: t.lastCheckedAt } : t;
  });
  return { ...state, tasks };
}

function invariantVerdict(broken: InvariantResult): Verdict {
  const why = broken.verdict.summary && broken.verdict.summary !== 'Not done yet.' ? `: ${broken.verdict.summary}` : '';
  return { ...broken.verdict, outcome: 'failed', summary: `"${broken.title}" must keep holding${why}` };
}

/** A timeout counts as a failure (a hung probe means the thing is not working); an error does not. */
function isFailure(v: Verdict): boolean {
  return v.outcome === 'failed' || v.outcome === 'timeout';
}

function update(state: GradingState, taskId: string, fn: (t: TaskState) => TaskState): GradingState {
  return { ...state, tasks: state.tasks.map((t) => (t.id === taskId ? fn(t) : t)) };
}

function findTask(challenge: Challenge, taskId: string): Task {
  const task = challenge.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`unknown task ${taskId}`);
  return task;
}
