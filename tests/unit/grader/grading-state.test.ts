import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';
import {
  applyCheck,
  applyInvariants,
  initialState,
  markChecking,
  planRound,
  progressOf,
  taskState,
  unmetNeeds,
  viewStatus,
} from '../../../lab-runner/grader/grading-state.ts';
import type { GradingState, InvariantResult } from '../../../lab-runner/grader/grading-state.ts';
import type { Verdict } from '../../../lab-runner/grader/verdict.ts';

// a -> b -> d, a -> c; c has an invariant.
const challenge: Challenge = (() => {
  const t = (id: string, needs: string[], inv = '') =>
    `\n  - id: ${id}\n    title: ${id}\n    description: d\n    target: node1\n    check: "true"\n    needs: [${needs.join(', ')}]\n    solution: {text: t, script: s}${inv}`;
  const inv = '\n    invariants:\n      - id: policy-exists\n        title: the policy still exists\n        check: "true"';
  const r = parseChallenge(`tasks:${t('a', [])}${t('b', ['a'])}${t('c', ['a'], inv)}${t('d', ['b'])}`, 'c.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.challenge;
})();

const v = (outcome: Verdict['outcome'], summary: string = outcome): Verdict => ({ outcome, summary, failLines: [], truncated: false, durationMs: 1 });
const pass = v('passed', 'Passed');
const fail = v('failed', 'expected 2, found 1');
const inv = (outcome: Verdict['outcome'], summary?: string): InvariantResult => ({
  id: 'policy-exists',
  title: 'the policy still exists',
  verdict: v(outcome, summary),
});
const statuses = (s: GradingState) => Object.fromEntries(s.tasks.map((t) => [t.id, t.status]));

describe('grading state', () => {
  it('starts with only tasks without needs pending, the rest blocked', () => {
    const s = initialState(challenge);
    expect(statuses(s)).toEqual({ a: 'pending', b: 'blocked', c: 'blocked', d: 'blocked' });
    expect(unmetNeeds(challenge, s, 'd')).toEqual(['b']);
    expect(planRound(challenge, s)).toEqual([{ kind: 'check', taskId: 'a' }]);
    expect(progressOf(s)).toEqual({ passed: 0, total: 4 });
  });

  it('unblocks dependants when a task passes, and plans their checks', () => {
    const { state, transitions } = applyCheck(challenge, initialState(challenge), 'a', pass, [], 1000);
    expect(transitions).toEqual([{ type: 'passed', taskId: 'a', at: 1000 }]);
    expect(statuses(state)).toEqual({ a: 'passed', b: 'pending', c: 'pending', d: 'blocked' });
    expect(state.lastCheckedAt).toBe(1000);
    expect(planRound(challenge, state)).toEqual([
      { kind: 'check', taskId: 'b' },
      { kind: 'check', taskId: 'c' },
    ]);
  });

  it('keeps the failing verdict on a failed task', () => {
    const { state } = applyCheck(challenge, initialState(challenge), 'a', fail, [], 5);
    expect(taskState(state, 'a')).toMatchObject({ status: 'failed', verdict: { summary: 'expected 2, found 1' }, lastCheckedAt: 5 });
  });

  it('is edge-triggered: a passed task is never re-checked and a late failing result is ignored', () => {
    let s = applyCheck(challenge, initialState(challenge), 'a', pass, [], 1).state;
    s = applyCheck(challenge, s, 'a', fail, [], 2).state;
    expect(taskState(s, 'a')).toMatchObject({ status: 'passed', passedAt: 1 });
    expect(planRound(challenge, s).some((w) => w.taskId === 'a')).toBe(false);
  });

  it('does not pass a task whose check passes while an invariant fails ("fix by deletion")', () => {
    const s0 = applyCheck(challenge, initialState(challenge), 'a', pass, [], 1).state;
    const { state, transitions } = applyCheck(challenge, s0, 'c', pass, [inv('failed', 'no NetworkPolicy named deny-all')], 2);
    expect(transitions).toEqual([]);
    expect(taskState(state, 'c')).toMatchObject({
      status: 'failed',
      brokenInvariant: 'the policy still exists',
      verdict: { summary: '"the policy still exists" must keep holding: no NetworkPolicy named deny-all' },
    });
  });

  it('re-checks only the invariants of a passed task, and un-passes it when one fails', () => {
    let s = applyCheck(challenge, initialState(challenge), 'a', pass, [], 1).state;
    s = applyCheck(challenge, s, 'c', pass, [inv('passed')], 2).state;
    expect(planRound(challenge, s)).toEqual([
      { kind: 'check', taskId: 'b' },
      { kind: 'invariants', taskId: 'c' },
    ]);
    const held = applyInvariants(challenge, s, 'c', [inv('passed')], 3);
    expect(held.transitions).toEqual([]);
    expect(taskState(held.state, 'c')).toMatchObject({ status: 'passed', passedAt: 2, lastCheckedAt: 3 });

    const broken = applyInvariants(challenge, s, 'c', [inv('timeout', 'The check did not finish')], 4);
    expect(broken.transitions).toEqual([{ type: 'regressed', taskId: 'c', at: 4, invariant: 'policy-exists' }]);
    expect(taskState(broken.state, 'c').status).toBe('failed');
    expect(taskState(broken.state, 'c').passedAt).toBeUndefined();
    // Graded from scratch again: its check runs again, not just the invariants.
    expect(planRound(challenge, broken.state)).toContainEqual({ kind: 'check', taskId: 'c' });
    const again = applyCheck(challenge, broken.state, 'c', pass, [inv('passed')], 5);
    expect(again.transitions).toEqual([{ type: 'passed', taskId: 'c', at: 5 }]);
  });

  it('a check that could not run changes nothing about pass or fail', () => {
    let s = applyCheck(challenge, initialState(challenge), 'a', fail, [], 1).state;
    s = applyCheck(challenge, markChecking(s, 'a'), 'a', v('error', 'lab unreachable'), [], 2).state;
    expect(taskState(s, 'a')).toMatchObject({ status: 'failed', verdict: { outcome: 'error' } });
    s = applyCheck(challenge, initialState(challenge), 'a', pass, [], 1).state;
    s = applyCheck(challenge, s, 'c', pass, [inv('passed')], 2).state;
    const r = applyInvariants(challenge, s, 'c', [inv('error')], 3);
    expect(taskState(r.state, 'c').status).toBe('passed');
    const fresh = applyCheck(challenge, markChecking(initialState(challenge), 'a'), 'a', v('error'), [], 1).state;
    expect(taskState(fresh, 'a').status).toBe('pending');
    const invErr = applyCheck(challenge, applyCheck(challenge, initialState(challenge), 'a', pass, [], 1).state, 'c', pass, [inv('error')], 2);
    expect(invErr.transitions).toEqual([]);
    expect(taskState(invErr.state, 'c').status).toBe('pending');
  });

  it('re-blocks unpassed dependants when a need un-passes, but a passed dependant stays passed', () => {
    let s = applyCheck(challenge, initialState(challenge), 'a', pass, [], 1).state;
    s = applyCheck(challenge, s, 'c', pass, [inv('passed')], 2).state;
    // Make "a" regress through a challenge where a has invariants: simulate via a challenge variant.
    const withInv: Challenge = {
      ...challenge,
      tasks: challenge.tasks.map((t) => (t.id === 'a' ? { ...t, invariants: [{ id: 'policy-exists', title: 'x', check: 'true' }] } : t)),
    };
    s = applyInvariants(withInv, s, 'a', [inv('failed')], 3).state;
    expect(statuses(s)).toEqual({ a: 'failed', b: 'blocked', c: 'passed', d: 'blocked' });
  });

  it('completes when all pass, restores passes, and un-completes on a regression', () => {
    let s = initialState(challenge);
    let t = 0;
    for (const id of ['a', 'b', 'c', 'd']) s = applyCheck(challenge, s, id, pass, id === 'c' ? [inv('passed')] : [], ++t).state;
    expect(s.completedAt).toBe(4);
    expect(progressOf(s)).toEqual({ passed: 4, total: 4 });
    const restored = initialState(challenge, new Map(s.tasks.map((x) => [x.id, x.passedAt!])));
    expect(restored.completedAt).toBe(4);
    expect(statuses(restored)).toEqual({ a: 'passed', b: 'passed', c: 'passed', d: 'passed' });
    const r = applyInvariants(challenge, s, 'c', [inv('failed')], 9);
    expect(r.state.completedAt).toBeUndefined();
    const partial = initialState(challenge, new Map([['a', 7]]));
    expect(statuses(partial)).toEqual({ a: 'passed', b: 'pending', c: 'pending', d: 'blocked' });
  });

  it('shows "checking" only for unpassed, unblocked tasks, and clears it with the result', () => {
    const s = markChecking(initialState(challenge), 'a');
    expect(viewStatus(taskState(s, 'a'))).toBe('checking');
    expect(viewStatus(taskState(markChecking(s, 'b'), 'b'))).toBe('blocked');
    const after = applyCheck(challenge, s, 'a', fail, [], 1).state;
    expect(viewStatus(taskState(after, 'a'))).toBe('failed');
  });
});
