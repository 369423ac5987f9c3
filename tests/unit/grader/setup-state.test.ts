// The Setup union's readings: who owns the lab, what prepareLab answers, what a page shows.
import { describe, expect, it } from 'vitest';
import { isClaimed, otherLesson, outcomeFor, setupStatus } from '../../../lab-runner/grader/setup-state.ts';
import type { Setup } from '../../../lab-runner/grader/setup-state.ts';

const A = 'pods/a';
const B = 'pods/b';

describe('Setup', () => {
  it('only a running, done or failed setup owns the lab', () => {
    const owning: Setup[] = [
      { phase: 'running', lesson: A },
      { phase: 'done', lesson: A },
      { phase: 'failed', lesson: A, error: 'x' },
    ];
    const notOwning: Setup[] = [
      { phase: 'claiming', lesson: A },
      { phase: 'unclaimed', lesson: A, error: 'x' },
    ];
    expect(owning.map(isClaimed)).toEqual([true, true, true]);
    expect(notOwning.map(isClaimed)).toEqual([false, false]);
    expect(owning.map((s) => otherLesson(s, B))).toEqual([A, A, A]);
    expect(owning.map((s) => otherLesson(s, A))).toEqual([undefined, undefined, undefined]);
    expect(notOwning.map((s) => otherLesson(s, B))).toEqual([undefined, undefined]);
    expect(otherLesson(undefined, A)).toBeUndefined();
  });

  it("outcomeFor: another lesson owns it, or this lesson's setup failed or is done", () => {
    expect(outcomeFor({ phase: 'done', lesson: A }, B)).toEqual({ status: 'other-lesson', lesson: A });
    expect(outcomeFor({ phase: 'failed', lesson: A, error: 'boom' }, B)).toEqual({ status: 'other-lesson', lesson: A });
    expect(outcomeFor({ phase: 'failed', lesson: A, error: 'boom' }, A)).toEqual({ status: 'failed', lesson: A, error: 'boom' });
    expect(outcomeFor({ phase: 'unclaimed', lesson: A, error: 'no such lesson' }, A)).toEqual({ status: 'failed', lesson: A, error: 'no such lesson' });
    expect(outcomeFor({ phase: 'done', lesson: A }, A)).toEqual({ status: 'done', lesson: A });
  });

  it('setupStatus: nothing known yet reads as running; failures carry their error', () => {
    expect(setupStatus(undefined)).toEqual({ status: 'running' });
    expect(setupStatus({ phase: 'claiming', lesson: A })).toEqual({ status: 'running' });
    expect(setupStatus({ phase: 'running', lesson: A })).toEqual({ status: 'running' });
    expect(setupStatus({ phase: 'done', lesson: A })).toEqual({ status: 'done' });
    expect(setupStatus({ phase: 'unclaimed', lesson: A, error: 'e1' })).toEqual({ status: 'failed', error: 'e1' });
    expect(setupStatus({ phase: 'failed', lesson: A, error: 'e2' })).toEqual({ status: 'failed', error: 'e2' });
  });
});
